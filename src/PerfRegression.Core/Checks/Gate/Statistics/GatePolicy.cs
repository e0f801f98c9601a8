using System.Globalization;

namespace PerfRegression;

/// <summary>
/// How the regression gate decides. The defaults are the product's promise: within +10% passes,
/// +10–20% passes with a warning, beyond +20% fails, and only on the evidence of several trials.
/// </summary>
public sealed record GatePolicy
{
    /// <summary>The statistics compared with the baseline, per route.</summary>
    /// <value>The default value is p95 only.</value>
    public IReadOnlyList<string> Statistics { get; init; } = ["p95"];

    /// <summary>
    /// The costs per request the gate compares for each scenario, beside latency: <c>cpu</c> (this process's CPU time
    /// per request), <c>alloc</c> (bytes allocated per request), <c>db</c> (database operations per request, when a
    /// database client reports them) and <c>server-cpu</c> (the CPU time of the system's own server processes, such as
    /// a fixture's PostgreSQL, per request; read in 10 ms clock ticks, so off by default) and <c>bytes</c> (response body
    /// bytes per request: off by default, since a response that grows on purpose is a feature, not a slowdown; turn it on
    /// for routes whose payload size is itself a budget). Costs barely move when other
    /// programs share the machine, so a growth beyond <see cref="FailMargin"/> fails whatever the machine was doing,
    /// and a fast route whose latency is too noisy to judge is still gated by them. They are per scenario: a
    /// scenario of one step gives its route's cost, a scenario of several the average over its requests.
    /// </summary>
    /// <value>The default value is cpu, alloc and db. Set an empty list to compare latency only.</value>
    public IReadOnlyList<string> Costs { get; init; } = ["cpu", "alloc", "db"];

    /// <summary>Relative slowdown beyond which a confirmed change is reported as a warning.</summary>
    /// <value>The default value is 0.10 (10%).</value>
    public double WarnMargin { get; init; } = 0.10;

    /// <summary>Relative slowdown beyond which a confirmed change fails the test.</summary>
    /// <value>The default value is 0.20 (20%).</value>
    public double FailMargin { get; init; } = 0.20;

    /// <summary>
    /// The smallest slowdown, in milliseconds of a latency statistic, that can fail a test (costs have no floor). A confirmed slowdown
    /// beyond <see cref="FailMargin"/> but smaller than this is reported as a warning: on a route answering in
    /// 4 ms, +20% is 0.8 ms, less than a GC pause or a busy neighbour moves it between processes, and nothing
    /// a user would notice. Set 0 to fail on the relative margin alone.
    /// </summary>
    /// <value>The default value is 5 ms.</value>
    public double MinimumSlowdownMilliseconds { get; init; } = 5;

    /// <summary>
    /// The smallest growth of CPU time per request, in milliseconds, that can fail a test. Thread-pool threads spin a
    /// little while they wait for work, and how much depends on the thread count each process's pool settles on: for
    /// a route that mostly waits, that moves CPU per request by a roughly fixed amount between processes, a large
    /// share of a small figure. A confirmed growth beyond <see cref="FailMargin"/> but smaller than this warns.
    /// </summary>
    /// <value>The default value is 0.2 ms.</value>
    public double MinimumCpuIncreaseMilliseconds { get; init; } = 0.2;

    /// <summary>Trials recorded for a baseline, and the most trials a comparison runs when a route looks slower.</summary>
    /// <value>The default value is 5: with 5 against 5 trials, a one-sided Mann–Whitney test can reach p = 0.004.</value>
    public int Trials { get; init; } = 5;

    /// <summary>Significance level of the one-sided Mann–Whitney test on trial statistics.</summary>
    /// <value>The default value is 0.01.</value>
    public double Alpha { get; init; } = 0.01;

    /// <summary>
    /// Whether a possible slowdown the gate could not decide (Inconclusive, with the estimate beyond
    /// <see cref="FailMargin"/>) fails the test instead of warning. For teams whose CI must decide every pull
    /// request: such a test fails until a re-run on a quieter machine decides it. The slowdown must also reach
    /// <see cref="MinimumSlowdownMilliseconds"/>, as a confirmed one must.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: an inconclusive comparison warns.</value>
    public bool FailOnInconclusive { get; init; }

    /// <summary>The statistics the gate knows: p50, p90, p95, p99.</summary>
    public static IReadOnlyList<string> KnownStatistics { get; } = ["p50", "p90", "p95", "p99"];

    /// <summary>The costs per request the gate knows: cpu, alloc, db, server-cpu, bytes.</summary>
    public static IReadOnlyList<string> KnownCosts { get; } = ["cpu", "alloc", "db", "server-cpu", "bytes"];

    /// <summary>The default policy.</summary>
    public static GatePolicy Default { get; } = new();

    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var statistic in Statistics.Where(s => !KnownStatistics.Contains(s, StringComparer.Ordinal)))
        {
            problems.Add($"The gate statistic '{statistic}' is unknown. Use one of {string.Join(", ", KnownStatistics)}.");
        }

        foreach (var cost in Costs.Where(c => !KnownCosts.Contains(c, StringComparer.Ordinal)))
        {
            problems.Add($"The gate cost '{cost}' is unknown. Use one of {string.Join(", ", KnownCosts)}.");
        }

        if (!double.IsFinite(MinimumCpuIncreaseMilliseconds) || MinimumCpuIncreaseMilliseconds < 0)
        {
            problems.Add($"MinimumCpuIncreaseMilliseconds is {Format(MinimumCpuIncreaseMilliseconds)}; it must be 0 or more milliseconds, e.g. 0.2.");
        }

        if (!double.IsFinite(MinimumSlowdownMilliseconds) || MinimumSlowdownMilliseconds < 0)
        {
            problems.Add($"MinimumSlowdownMilliseconds is {Format(MinimumSlowdownMilliseconds)}; it must be 0 or more milliseconds, e.g. 5.");
        }

        if (Statistics.Count == 0)
        {
            problems.Add("The gate compares no statistic. Name at least one, e.g. \"p95\".");
        }

        if (!double.IsFinite(WarnMargin) || WarnMargin <= 0)
        {
            problems.Add($"WarnMargin is {Format(WarnMargin)}; it must be a ratio greater than zero, e.g. 0.10 for 10%.");
        }

        if (!double.IsFinite(FailMargin) || FailMargin < WarnMargin)
        {
            problems.Add($"FailMargin is {Format(FailMargin)}; it must be a ratio at least as large as WarnMargin ({Format(WarnMargin)}), e.g. 0.20 for 20%.");
        }

        if (Trials is < 3 or > 30)
        {
            problems.Add($"Trials is {Trials}; it must be between 3 and 30. Fewer trials cannot show a confident difference; 5 is the default.");
        }

        if (!double.IsFinite(Alpha) || Alpha is <= 0 or >= 0.5)
        {
            problems.Add($"Alpha is {Format(Alpha)}; it must be between 0 and 0.5, e.g. 0.01.");
        }
        else if (Trials is >= 3 and <= 30 && SmallestPValue(Trials) >= Alpha)
        {
            problems.Add($"With {Trials} against {Trials} trials the smallest possible p-value is {Format(SmallestPValue(Trials))}, not below Alpha {Format(Alpha)}, so no slowdown could ever be confirmed. Use more trials (5 reach 0.004) or a larger Alpha.");
        }

        return problems;
    }

    /// <summary>One-sided Mann–Whitney with n against n trials: all current above all baseline has p = 1 / C(2n, n).</summary>
    internal static double SmallestPValue(int trials)
    {
        double combinations = 1;
        for (var i = 1; i <= trials; i++)
        {
            combinations = combinations * (trials + i) / i;
        }

        return 1 / combinations;
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
