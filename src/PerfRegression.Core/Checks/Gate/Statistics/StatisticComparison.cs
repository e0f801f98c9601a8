using PerfRegression.Checks;

namespace PerfRegression;

/// <summary>
/// One statistic of one route compared with its baseline, over trials: the verdict, the ratio
/// current/baseline with its interval, the evidence (trials, requests, p-value) and why.
/// </summary>
public sealed record StatisticComparison
{
    /// <summary>The route.</summary>
    public required string Route { get; init; }

    /// <summary>The statistic, e.g. <c>p95</c>.</summary>
    public required string Statistic { get; init; }

    /// <summary>The verdict.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>What the verdict does to the test: a confirmed slowdown beyond the fail margin fails, one inside the warn band warns, an inconclusive one is reported as such.</summary>
    public required CheckSeverity Severity { get; init; }

    /// <summary>The baseline's value per trial, in milliseconds (after any environment normalisation).</summary>
    public required IReadOnlyList<double> Baseline { get; init; }

    /// <summary>The current value per trial, in milliseconds.</summary>
    public required IReadOnlyList<double> Current { get; init; }

    /// <summary>Requests behind the baseline's values.</summary>
    public required long BaselineSamples { get; init; }

    /// <summary>Requests behind the current values.</summary>
    public required long CurrentSamples { get; init; }

    /// <summary>The estimated ratio current/baseline (Hodges–Lehmann: the median of all trial-pair ratios).</summary>
    public required double Ratio { get; init; }

    /// <summary>The lower end of the ratio's 95% distribution-free interval; NaN when too few trials give one.</summary>
    public required double RatioLower { get; init; }

    /// <summary>The upper end of the ratio's 95% interval; NaN when too few trials give one.</summary>
    public required double RatioUpper { get; init; }

    /// <summary>One-sided Mann–Whitney p-value for "current is slower"; NaN when only one current trial was run.</summary>
    public required double PValueSlower { get; init; }

    /// <summary>Why this verdict, in one sentence.</summary>
    public required string Reason { get; init; }

    /// <summary>
    /// Undecided because the change is within the differences between the baseline's runs (separate processes): more
    /// trials of this run cannot decide it.
    /// </summary>
    internal bool AcrossProcesses { get; init; }
}
