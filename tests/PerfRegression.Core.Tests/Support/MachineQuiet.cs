using PerfRegression.Engine;

namespace PerfRegression.Tests.Support;

/// <summary>
/// For the few unit tests that load both cores for seconds (compiling the sources, spinning on refused connections):
/// they hold the machine-wide lock that performance runs take, so that in a plain <c>dotnet test</c>, which runs this
/// assembly beside the performance suites, they never land in the middle of another process's measurement.
/// </summary>
internal static class MachineQuiet
{
    public static Task<IDisposable?> HoldAsync() => MachineRunLock.AcquireAsync(MachineRunLock.MachineWidePath, TestContext.Current.CancellationToken);
}
