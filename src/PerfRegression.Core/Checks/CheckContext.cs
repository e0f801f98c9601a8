namespace PerfRegression.Checks;

/// <summary>What a check is decided on: the test, its settings, its load reports and, for a check that decides last, the other checks' results.</summary>
public sealed class CheckContext
{
    /// <summary>Creates the context of one evaluation.</summary>
    public CheckContext(TestIdentity test, PerfSettings settings, IReadOnlyList<LoadReport> reports, IReadOnlyList<CheckResult>? earlierResults = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(reports);
        Test = test;
        Settings = settings;
        Reports = reports;
        EarlierResults = earlierResults ?? [];
    }

    /// <summary>The test being checked.</summary>
    public TestIdentity Test { get; }

    /// <summary>The settings of the test's session (baseline mode, profile, directories).</summary>
    public PerfSettings Settings { get; }

    /// <summary>Every load run of the test body, in order; a run with confirmation trials is their exact merge.</summary>
    public IReadOnlyList<LoadReport> Reports { get; }

    /// <summary>Every capacity search of the test body (<c>Capacity.FindAsync</c>), in order; empty when it made none.</summary>
    public IReadOnlyList<CapacityReport> Capacities { get; init; } = [];

    /// <summary>Every micro-benchmark the test body ran, in order; empty when it ran none.</summary>
    public IReadOnlyList<MicroBenchmarkResult> MicroBenchmarks { get; init; } = [];

    /// <summary>
    /// Whether the test measured something other than load runs (a capacity search, a micro-benchmark), judged by its
    /// own check: a test without load runs is then not a test that forgot its load.
    /// </summary>
    public bool MeasuredWithoutLoad => Capacities.Count > 0 || MicroBenchmarks.Count > 0;

    /// <summary>The results of the checks decided before this one; empty unless <see cref="IPerfCheck.DecidesLast"/>.</summary>
    public IReadOnlyList<CheckResult> EarlierResults { get; }

    /// <summary>Whether every earlier check passed (warnings and inconclusive results pass).</summary>
    public bool EarlierChecksPassed => EarlierResults.All(r => r.Severity != CheckSeverity.Fail);

    /// <summary>
    /// The problem every check that needs load reports when the test recorded none, in the same words for each (the
    /// verdict lists it once); <see langword="null"/> when load was recorded.
    /// </summary>
    public string? NoLoadProblem() => NoLoadProblem(Reports);

    /// <summary>The problem of checks that need load when <paramref name="reports"/> recorded none; <see langword="null"/> when they did.</summary>
    public static string? NoLoadProblem(IReadOnlyList<LoadReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            return "The test ran no load, so there is nothing to check. Run load in the test body with Load.RunAsync(...), or remove the checks that need it.";
        }

        return reports.All(r => !r.RecordedLoad)
            ? $"The test ran load but recorded no request ({string.Join(", ", reports.Select(r => $"'{r.Scenario}': {r.LoadProfile}"))}). Check that the profile lasts long enough for one iteration and that the target answers."
            : null;
    }
}
