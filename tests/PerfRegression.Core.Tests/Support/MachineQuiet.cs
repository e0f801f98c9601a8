using System.Reflection;
using PerfRegression.Engine;
using Xunit.v3;

namespace PerfRegression.Tests.Support;

/// <summary>
/// For the unit tests that measure time, or load both cores for seconds (compiling the sources, spinning on refused
/// connections): they hold the machine-wide lock that performance runs take, so that in a plain <c>dotnet test</c>,
/// which runs this assembly beside the performance suites, neither lands in the middle of the other's measurement
/// (a CI run saw the generator's timers wake 2.3 ms late while the sample suite loaded both cores).
/// </summary>
internal static class MachineQuiet
{
    private static readonly Lock Gate = new();
    private static IDisposable? _held;
    private static int _holders;

    /// <summary>Holds the lock until the scope is disposed; re-entrant within this process (the lock keeps other processes out).</summary>
    public static async Task<IDisposable?> HoldAsync()
    {
        lock (Gate)
        {
            if (_holders > 0)
            {
                _holders++;
                return new Scope();
            }
        }

        var held = await MachineRunLock.AcquireAsync(MachineRunLock.MachineWidePath, TestContext.Current.CancellationToken);
        lock (Gate)
        {
            if (_holders > 0)
            {
                // Another test of this process took it meanwhile: one handle is enough.
                held?.Dispose();
            }
            else
            {
                _held = held;
            }

            _holders++;
        }

        return new Scope();
    }

    private static void Release()
    {
        lock (Gate)
        {
            if (--_holders == 0)
            {
                _held?.Dispose();
                _held = null;
            }
        }
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Release();
            }
        }
    }
}

/// <summary>Every test of the class holds <see cref="MachineQuiet"/> while it runs (the timing-sensitive collection's classes).</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class HoldsTheMachineAttribute : BeforeAfterTestAttribute
{
    private IDisposable? _scope;

    public override void Before(MethodInfo methodUnderTest, IXunitTest test)
        => _scope = MachineQuiet.HoldAsync().GetAwaiter().GetResult();

    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        // The collection runs one test at a time, so one scope per attribute instance is enough.
        _scope?.Dispose();
        _scope = null;
    }
}
