using PerfRegression.Checks;

namespace PerfRegression;

/// <summary>
/// The verdict of one performance test: every check's result and the load runs they were decided on. Its text is
/// the test's failure message and output; its JSON is the test's results file; <c>summary.md</c> is made of them.
/// </summary>
public sealed record TestVerdict
{
    /// <summary>The test's name, e.g. <c>PlanTests.Calendar</c>; <see langword="null"/> for checks made in code outside a test session.</summary>
    public string? Test { get; init; }

    /// <summary>Every check's result, in the order the test states them.</summary>
    public IReadOnlyList<CheckResult> Results { get; init; } = [];

    /// <summary>The load runs the checks were decided on.</summary>
    public IReadOnlyList<RunSummary> Runs { get; init; } = [];

    /// <summary>Conditions of the runs that may explain the result (a saturated CPU, a stall), each saying what to do.</summary>
    public IReadOnlyList<string> RunWarnings { get; init; } = [];

    /// <summary>How the test ran, e.g. <c>profile</c> → <c>pr</c>, <c>baseline mode</c> → <c>strict</c>; shown in summaries.</summary>
    public IReadOnlyDictionary<string, string> Context { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The gravest result's severity; <see cref="CheckSeverity.Pass"/> when there is none.</summary>
    public CheckSeverity Severity => Results.Count == 0 ? CheckSeverity.Pass : Results.Max(r => r.Severity);

    /// <summary>Whether the test passes: no result failed.</summary>
    public bool Passed => Severity != CheckSeverity.Fail;

    /// <summary>The verdict in one sentence, e.g. <c>Performance check failed for PlanTests.Calendar (scenario 'calendar'): 2 database findings.</c></summary>
    public string Headline => VerdictText.Headline(this);

    /// <summary>The whole sectioned verdict: headline, problems, each check's section, the runs, warnings, what to do.</summary>
    public string Text => VerdictText.Render(this);

    /// <summary>The verdict of <paramref name="results"/> decided on <paramref name="reports"/>.</summary>
    public static TestVerdict Of(IReadOnlyList<LoadReport> reports, IEnumerable<CheckResult> results, string? test = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(results);
        return new TestVerdict
        {
            Test = test,
            Results = results.ToArray(),
            Runs = reports.Select(RunSummary.Of).ToArray(),
            RunWarnings = reports.SelectMany(r => r.Warnings).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }

    /// <summary>The typed details of the first result that has them, e.g. <c>Details&lt;GateOutcome&gt;()</c>; <see langword="null"/> when none.</summary>
    public T? Details<T>()
        where T : class
        => Results.Select(r => r.Details).OfType<T>().FirstOrDefault();

    /// <summary>Throws <see cref="PerfCheckException"/>, whose message is <see cref="Text"/>, unless the test passes.</summary>
    /// <returns>This verdict, for chaining.</returns>
    public TestVerdict EnsurePassed() => Passed ? this : throw new PerfCheckException(this);

    /// <summary>
    /// Throws <see cref="PerfCheckException"/> unless the test passes, with the verdict as the test's console shows it: each
    /// check's commands are printed beside the test's result, once, and the message says so instead of repeating them.
    /// </summary>
    internal TestVerdict EnsurePassedInConsole() => Passed ? this : throw new PerfCheckException(this, VerdictText.RenderForConsole(this));

    /// <inheritdoc />
    public override string ToString() => Headline;
}

/// <summary>One load run of a test, as its verdict shows it.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Target">What the load was sent to.</param>
/// <param name="LoadProfile">How load was applied.</param>
/// <param name="Duration">The measured duration, over every trial.</param>
/// <param name="Trials">How many trials the run measured.</param>
/// <param name="Requests">Requests completed.</param>
/// <param name="ErrorRate">Failed requests over all, 0..1.</param>
public sealed record RunSummary(string Scenario, string Target, string LoadProfile, TimeSpan Duration, int Trials, long Requests, double ErrorRate)
{
    /// <summary>What the run's requests cost, over every trial (<see cref="LoadReport.Resources"/>); <see langword="null"/> when not sampled.</summary>
    public ResourceUsage? Resources { get; init; }

    /// <summary>What the run did to memory, over every trial (<see cref="LoadReport.Memory"/>); <see langword="null"/> when not measured.</summary>
    public MemoryUsage? Memory { get; init; }

    /// <summary>The summary of <paramref name="report"/>.</summary>
    public static RunSummary Of(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Scenario, report.Target, report.LoadProfile, report.Duration, report.Runs, report.Overall.Count, report.Overall.ErrorRate) { Resources = report.Resources, Memory = report.Memory };
    }
}
