using System.Runtime.CompilerServices;
using PerfRegression.Engine;

namespace PerfRegression.Tests.Support;

/// <summary>
/// The library's own tests exercise attributes and the gate with made-up tests; their baselines and
/// results go to a temporary directory, never into the repository's baselines/ or artifacts/.
/// </summary>
internal static class IsolatedOutputs
{
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "perfregression-tests-" + Environment.ProcessId);

    [ModuleInitializer]
    internal static void Initialize()
    {
        Environment.SetEnvironmentVariable("PERF_BASELINE_DIR", Path.Combine(Root, "baselines"));
        Environment.SetEnvironmentVariable("PERF_RESULTS_DIR", Path.Combine(Root, "results"));
        Environment.SetEnvironmentVariable("PERF_BASELINE", null);
        Environment.SetEnvironmentVariable("PERF_PROFILE", null);
        Environment.SetEnvironmentVariable("PERF_ENVIRONMENT_POLICY", null);

        // The runner's unit tests assert on their own runs' timing; they must not wait for the performance
        // suites' runs in other test processes, so they serialize on a lock file of their own.
        MachineRunLock.LockPath = Path.Combine(Root, "load.lock");
    }
}
