using System.Runtime.CompilerServices;
using PerfRegression.Engine;
using PerfRegression.Session;
using Xunit;

namespace PerfRegression;

/// <summary>
/// The xUnit test that is running, as a performance test's session sees it: its output, warnings, attachments and
/// cancellation. Outside any session it is also the load runs' default context, so that a plain <c>[Fact]</c> that
/// runs load writes the run's summary to the test output and stops when the test is cancelled.
/// </summary>
internal sealed class XunitTestHost : ITestHost, ILoadRunContext
{
    public static XunitTestHost Instance { get; } = new();

    public CancellationToken CancellationToken => TestContext.Current?.CancellationToken ?? CancellationToken.None;

    public void WriteLine(string text)
    {
        try
        {
            TestContext.Current?.TestOutputHelper?.WriteLine(text.TrimEnd('\n'));
        }
        catch (InvalidOperationException)
        {
            // No test is running (e.g. a benchmark); the report is still returned to the caller.
        }
    }

    public void AddWarning(string warning) => TestContext.Current?.AddWarning(warning);

    public void Attach(string name, string content)
    {
        try
        {
            TestContext.Current?.AddAttachment(name, content, replaceExistingValue: true);
        }
        catch (InvalidOperationException)
        {
            // Attachments exist only while a test runs.
        }
    }

    /// <summary>A line in the test's output, and a diagnostic message, which runners show live when asked (xUnit's <c>diagnosticMessages</c>).</summary>
    public void Progress(string line)
    {
        WriteLine(line);
        try
        {
            TestContext.Current?.SendDiagnosticMessage(line);
        }
        catch (InvalidOperationException)
        {
            // No test is running.
        }
    }

    /// <summary>
    /// A diagnostic message: <c>dotnet test</c> shows it once at every verbosity when diagnostic messages are on. A warning
    /// would show too, but xUnit's runner then echoes a passing test's output, which <c>dotnet test</c> at detailed
    /// verbosity prints again.
    /// </summary>
    public void Announce(string line)
    {
        try
        {
            TestContext.Current?.SendDiagnosticMessage(line);
        }
        catch (InvalidOperationException)
        {
            // No test is running.
        }
    }

    public void Progress(LoadProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Progress(progress.ToString());
    }

    public ITrialPlanner? RunStarting(Scenario scenario) => null;

    public void RunCompleted(Scenario scenario, IReadOnlyList<LoadReport> trials, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        WriteLine(report.ToSummary());
    }

#pragma warning disable CA2255 // The adapter registers itself as the load runs' default when the library loads, so the engine needs no reference to xUnit.
    [ModuleInitializer]
    internal static void RegisterAsDefault() => LoadRunContext.Default = Instance;
#pragma warning restore CA2255
}
