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
    /// <summary>Whether a single first trial looks different enough to need confirmation trials.</summary>
    public static bool NeedsConfirmation(IReadOnlyList<double> baseline, double firstTrial, GatePolicy policy)
    {
        var ratio = firstTrial / Median(baseline);
        return ratio > 1 + policy.WarnMargin || ratio < 1 / (1 + policy.WarnMargin);
    }

    public static StatisticComparison Compare(string route, string statistic, IReadOnlyList<double> baseline, IReadOnlyList<double> current, long baselineSamples, long currentSamples, GatePolicy policy)
    {
        var ratio = current.Count == 1 ? current[0] / Median(baseline) : Toolkit.Ratio(new Sample(current.ToArray()), new Sample(baseline.ToArray())).NominalValue;
        var (lower, upper) = RatioInterval(baseline, current, 0.05);
        var warn = 1 + policy.WarnMargin;
        var fail = 1 + policy.FailMargin;

        if (current.Count == 1)
        {
            // A first trial within the warn band needs no confirmation; anything else was confirmed with more trials.
            var same = ratio <= warn && ratio >= 1 / warn;
            return Result(same ? Verdict.Same : Verdict.Inconclusive, same ? CheckSeverity.Pass : CheckSeverity.Inconclusive, double.NaN, same
                ? $"one trial within ±{Formatting.Percent(policy.WarnMargin)} of the baseline"
                : "one trial outside the warn band and no confirmation trials were run");
        }

        var x = new Sample(current.ToArray());
        var y = new Sample(baseline.ToArray());
        var pSlower = MannWhitneyTest.Instance.Perform(x, y, AlternativeHypothesis.Greater, Threshold.Zero).PValue.Value;
        var pFaster = MannWhitneyTest.Instance.Perform(x, y, AlternativeHypothesis.Less, Threshold.Zero).PValue.Value;

        if (ratio > warn)
        {
            if (pSlower < policy.Alpha)
            {
                var slowdown = Median(current) - Median(baseline);
                if (ratio > fail && slowdown < policy.MinimumSlowdownMilliseconds)
                {
                    return Result(Verdict.Slower, CheckSeverity.Warn, pSlower, $"slower by {Formatting.SignedPercent(ratio - 1)} with p = {P(pSlower)}, but only by {Formatting.Milliseconds(slowdown)}, under the {Formatting.Milliseconds(policy.MinimumSlowdownMilliseconds)} a slowdown must reach to fail the test");
                }

                return ratio > fail
                    ? Result(Verdict.Slower, CheckSeverity.Fail, pSlower, $"estimated slower by {Formatting.SignedPercent(ratio - 1)}, beyond the fail margin of {Formatting.Percent(policy.FailMargin)}, and significantly slower (p = {P(pSlower)} < {P(policy.Alpha)})" + UnderFailMargin(lower, policy))
                    : Result(Verdict.Slower, CheckSeverity.Warn, pSlower, $"slower by {Formatting.SignedPercent(ratio - 1)}, inside the warn band {Formatting.Percent(policy.WarnMargin)}–{Formatting.Percent(policy.FailMargin)}, with p = {P(pSlower)}");
            }

            return Result(Verdict.Inconclusive, CheckSeverity.Inconclusive, pSlower, $"the estimate is {Formatting.SignedPercent(ratio - 1)} but the trials overlap (p = {P(pSlower)} ≥ {P(policy.Alpha)}); not enough evidence either way");
        }

        if (ratio < 1 / warn)
        {
            return pFaster < policy.Alpha
                ? Result(Verdict.Faster, CheckSeverity.Pass, pSlower, $"faster by {Formatting.SignedPercent(ratio - 1)} with p = {P(pFaster)}; consider recording a new baseline")
                : Result(Verdict.Inconclusive, CheckSeverity.Inconclusive, pSlower, $"the estimate is {Formatting.SignedPercent(ratio - 1)} but the trials overlap (p = {P(pFaster)}); not enough evidence either way");
        }

        return Result(Verdict.Same, CheckSeverity.Pass, pSlower, $"within ±{Formatting.Percent(policy.WarnMargin)} of the baseline over {current.Count} trials");

        StatisticComparison Result(Verdict verdict, CheckSeverity severity, double p, string reason) => new()
        {
            Route = route,
            Statistic = statistic,
            Verdict = verdict,
            Severity = severity,
            Baseline = baseline,
            Current = current,
            BaselineSamples = baselineSamples,
            CurrentSamples = currentSamples,
            Ratio = ratio,
            RatioLower = lower,
            RatioUpper = upper,
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
