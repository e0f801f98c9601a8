using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Decides a verdict from trial-level statistics (one value per trial, e.g. each trial's p95), so that
/// within-run autocorrelation cannot fake significance. The decision uses Perfolizer's Mann–Whitney
/// test and Pragmastat's Hodges–Lehmann ratio; the interval is the distribution-free (Moses) interval
/// of the pairwise ratios, with ranks from Mann–Whitney's exact distribution.
/// </summary>
internal static class RegressionComparer
{
    /// <summary>
    /// Whether a single first trial needs confirmation trials: only when it looks worse than the warn margin by at least
    /// the statistic's floor. A first trial that looks better, or worse by less than could ever fail the test, is not
    /// worth the trials (on a fast route, latency drifting by a millisecond between processes would otherwise make
    /// every comparison run five).
    /// </summary>
    public static bool NeedsConfirmation(string statistic, IReadOnlyList<double> baseline, double firstTrial, GatePolicy policy)
    {
        var median = Median(baseline);
        if (median <= 0)
        {
            return firstTrial > 0;
        }

        return firstTrial / median > 1 + policy.WarnMargin && firstTrial - median >= Floor(GateStatistic.Of(statistic), policy);
    }

    /// <summary>The smallest change of a statistic, in its unit, that can fail a test: the latency and CPU floors, none for exact counts.</summary>
    internal static double Floor(GateStatistic kind, GatePolicy policy)
        => kind.IsLatency ? policy.MinimumSlowdownMilliseconds : kind.IsCpu ? policy.MinimumCpuIncreaseMilliseconds : 0;

    /// <summary>
    /// Compares <paramref name="current"/> (one value per trial of this run) with <paramref name="baseline"/> (one per
    /// trial of the baseline). <paramref name="baselineRuns"/> splits the baseline's trials by the process that recorded
    /// them (trials per run, in order); with two runs or more, a change must also stand out from the differences between
    /// those runs, since this run is one more process. <paramref name="currentRuns"/> does the same for this side when it
    /// is several processes too, run alternately with the baseline's (rounds of a base-and-head comparison).
    /// <paramref name="prior"/>, the same statistic's spread between processes in sibling baselines, moderates the
    /// baseline's own (see <see cref="SpreadPrior"/>).
    /// </summary>
    public static StatisticComparison Compare(string route, string statistic, IReadOnlyList<double> baseline, IReadOnlyList<double> current, long baselineSamples, long currentSamples, GatePolicy policy, IReadOnlyList<int>? baselineRuns = null, IReadOnlyList<int>? currentRuns = null, SpreadPrior? prior = null)
    {
        var kind = GateStatistic.Of(statistic);
        var worse = kind.IsTime ? "slower" : "higher";
        var better = kind.IsTime ? "faster" : "lower";
        var warn = 1 + policy.WarnMargin;
        var fail = 1 + policy.FailMargin;

        if (Median(baseline) <= 0)
        {
            // A cost the baseline did not have at all (e.g. database operations of a route that made none): no ratio
            // exists, and none is needed, as counts are exact.
            return current.All(v => v <= 0)
                ? Result(Verdict.Same, CheckSeverity.Pass, double.NaN, "none in the baseline and none now", 1, double.NaN, double.NaN)
                : current.Count > 1 && current.All(v => v > 0) && baseline.All(v => v <= 0)
                    ? Result(Verdict.Slower, CheckSeverity.Fail, GatePolicy.SmallestPValue(Math.Min(current.Count, baseline.Count)), $"{kind.Format(Median(current))} in every trial where the baseline had none", double.PositiveInfinity, double.NaN, double.NaN)
                    : Result(Verdict.Inconclusive, CheckSeverity.Inconclusive, double.NaN, $"{kind.Format(Median(current))} where the baseline had none; not confirmed over enough trials", double.PositiveInfinity, double.NaN, double.NaN);
        }

        var ratio = current.Count == 1 ? current[0] / Median(baseline) : Toolkit.Ratio(new Sample(current.ToArray()), new Sample(baseline.ToArray())).NominalValue;
        var (lower, upper) = RatioInterval(baseline, current, 0.05);

        if (current.Count == 1)
        {
            // A first trial within the warn band, better than it, or worse by less than the floor needs no confirmation;
            // anything else was confirmed with more trials.
            if (ratio <= warn && ratio >= 1 / warn)
            {
                return Result(Verdict.Same, CheckSeverity.Pass, double.NaN, $"one trial within ±{Formatting.Percent(policy.WarnMargin)} of the baseline", ratio, lower, upper);
            }

            if (ratio < 1 / warn)
            {
                return Result(Verdict.Inconclusive, CheckSeverity.Pass, double.NaN, $"one trial {Formatting.SignedPercent(ratio - 1)}: a possible improvement, not confirmed, which fails nothing", ratio, lower, upper);
            }

            var first = current[0] - Median(baseline);
            return first < Floor(kind, policy)
                ? Result(Verdict.Inconclusive, CheckSeverity.Pass, double.NaN, $"one trial {Formatting.SignedPercent(ratio - 1)}, {kind.Format(first)} more, under the {kind.Format(Floor(kind, policy))} that can fail the test, so it was not confirmed", ratio, lower, upper)
                : Result(Verdict.Inconclusive, CheckSeverity.Inconclusive, double.NaN, "one trial outside the warn band and no confirmation trials were run", ratio, lower, upper);
        }

        var x = new Sample(current.ToArray());
        var y = new Sample(baseline.ToArray());
        var pSlower = MannWhitneyTest.Instance.Perform(x, y, AlternativeHypothesis.Greater, Threshold.Zero).PValue.Value;
        if (ratio <= warn && ratio >= 1 / warn)
        {
            return Result(Verdict.Same, CheckSeverity.Pass, pSlower, $"within ±{Formatting.Percent(policy.WarnMargin)} of the baseline over {current.Count} trials", ratio, lower, upper);
        }

        var runs = RunSpread.Of(baseline, baselineRuns, current, currentRuns, prior);
        if (ratio > warn)
        {
            if (pSlower < policy.Alpha && runs is { PSlower: var pRuns } spread && pRuns >= policy.Alpha)
            {
                // Significant over the trials, yet no further from the baseline's runs than they are from each other: the
                // difference between two processes, which more trials of this one cannot shrink.
                var couldFail = ratio > fail && Median(current) - Median(baseline) >= Floor(kind, policy);
                return Result(Verdict.Inconclusive, couldFail ? CheckSeverity.Inconclusive : CheckSeverity.Pass, pSlower, $"estimated {worse} by {Formatting.SignedPercent(ratio - 1)} over the trials (p = {P(pSlower)}), but {spread.Describe(worse)} (p = {P(pRuns)} ≥ {P(policy.Alpha)} across runs), so this is not evidence of a regression", ratio, lower, upper) with { AcrossProcesses = true };
            }

            if (pSlower < policy.Alpha)
            {
                var slowdown = Median(current) - Median(baseline);
                if (kind.IsLatency && ratio > fail && slowdown < policy.MinimumSlowdownMilliseconds)
                {
                    return Result(Verdict.Slower, CheckSeverity.Warn, pSlower, $"slower by {Formatting.SignedPercent(ratio - 1)} with p = {P(pSlower)}, but only by {Formatting.Milliseconds(slowdown)}, under the {Formatting.Milliseconds(policy.MinimumSlowdownMilliseconds)} a latency slowdown must reach to fail the test", ratio, lower, upper);
                }

                if (kind.IsCpu && ratio > fail && slowdown < policy.MinimumCpuIncreaseMilliseconds)
                {
                    return Result(Verdict.Slower, CheckSeverity.Warn, pSlower, $"higher by {Formatting.SignedPercent(ratio - 1)} with p = {P(pSlower)}, but only by {kind.Format(slowdown)}, under the {kind.Format(policy.MinimumCpuIncreaseMilliseconds)} a CPU growth must reach to fail the test", ratio, lower, upper);
                }

                return ratio > fail
                    ? Result(Verdict.Slower, CheckSeverity.Fail, pSlower, $"estimated {worse} by {Formatting.SignedPercent(ratio - 1)}, beyond the fail margin of {Formatting.Percent(policy.FailMargin)}, and significantly {worse} (p = {P(pSlower)} < {P(policy.Alpha)})" + UnderFailMargin(lower, policy), ratio, lower, upper)
                    : Result(Verdict.Slower, CheckSeverity.Warn, pSlower, $"{worse} by {Formatting.SignedPercent(ratio - 1)}, inside the warn band {Formatting.Percent(policy.WarnMargin)}–{Formatting.Percent(policy.FailMargin)}, with p = {P(pSlower)}", ratio, lower, upper);
            }

            // A change under the statistic's floor would only warn even if confirmed: nothing is left undecided.
            var change = Median(current) - Median(baseline);
            var floor = Floor(kind, policy);
            return change < floor
                ? Result(Verdict.Inconclusive, CheckSeverity.Pass, pSlower, $"the estimate is {Formatting.SignedPercent(ratio - 1)} but the trials overlap (p = {P(pSlower)} ≥ {P(policy.Alpha)}); the change, {kind.Format(change)}, is under the {kind.Format(floor)} that can fail the test, so even confirmed it would only warn", ratio, lower, upper)
                : Result(Verdict.Inconclusive, CheckSeverity.Inconclusive, pSlower, $"the estimate is {Formatting.SignedPercent(ratio - 1)} but the trials overlap (p = {P(pSlower)} ≥ {P(policy.Alpha)}); not enough evidence either way", ratio, lower, upper);
        }

        var pFaster = MannWhitneyTest.Instance.Perform(x, y, AlternativeHypothesis.Less, Threshold.Zero).PValue.Value;
        if (pFaster < policy.Alpha && runs is { PFaster: var pRunsFaster } faster && pRunsFaster >= policy.Alpha)
        {
            return Result(Verdict.Inconclusive, CheckSeverity.Pass, pSlower, $"{better} by {Formatting.SignedPercent(ratio - 1)} over the trials (p = {P(pFaster)}), but {faster.Describe(better)} (p = {P(pRunsFaster)} across runs); a possible improvement, not confirmed, which fails nothing", ratio, lower, upper) with { AcrossProcesses = true };
        }

        return pFaster < policy.Alpha
            ? Result(Verdict.Faster, CheckSeverity.Pass, pSlower, $"{better} by {Formatting.SignedPercent(ratio - 1)} with p = {P(pFaster)}; consider recording a new baseline", ratio, lower, upper)
            : Result(Verdict.Inconclusive, CheckSeverity.Pass, pSlower, $"the estimate is {Formatting.SignedPercent(ratio - 1)} but the trials overlap (p = {P(pFaster)}); a possible improvement, not confirmed, which fails nothing", ratio, lower, upper);

        StatisticComparison Result(Verdict verdict, CheckSeverity severity, double p, string reason, double estimate, double low, double high) => new()
        {
            Route = route,
            Statistic = statistic,
            Verdict = verdict,
            Severity = severity,
            Baseline = baseline,
            Current = current,
            BaselineSamples = baselineSamples,
            CurrentSamples = currentSamples,
            Ratio = estimate,
            RatioLower = low,
            RatioUpper = high,
            PValueSlower = p,
            Reason = reason,
        };
    }

    /// <summary>
    /// The (1 − α) interval of the ratio: the k-th smallest and k-th largest of all pairwise ratios,
    /// where k is the largest rank with P(U &lt; k) ≤ α/2 under Mann–Whitney's exact distribution.
    /// </summary>
    internal static (double Lower, double Upper) RatioInterval(IReadOnlyList<double> baseline, IReadOnlyList<double> current, double alpha)
    {
        int n = current.Count, m = baseline.Count;
        var k = 0;
        while (k + 1 <= n * m / 2 && MannWhitneyClassicExactCdf.Instance.Cdf(n, m, k + 1) <= alpha / 2)
        {
            k++;
        }

        if (k == 0)
        {
            return (double.NaN, double.NaN);
        }

        var ratios = current.SelectMany(c => baseline.Select(b => c / b)).Order().ToArray();
        return (ratios[k - 1], ratios[^k]);
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// The rule is "estimate beyond the fail margin and significantly slower", not "the whole interval beyond it":
    /// when the interval reaches below the margin, say so, so the text never claims more than was shown.
    /// </summary>
    private static string UnderFailMargin(double lower, GatePolicy policy)
        => double.IsNaN(lower) || lower > 1 + policy.FailMargin
            ? string.Empty
            : $"; the 95% interval starts at {Formatting.SignedPercent(lower - 1)}, so the slowdown may be smaller than {Formatting.Percent(policy.FailMargin)}";

    private static string P(double p) => Formatting.Number(p, "0.####");
}
