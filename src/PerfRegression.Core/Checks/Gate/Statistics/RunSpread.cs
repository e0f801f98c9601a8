using Perfolizer.Mathematics.Distributions.ContinuousDistributions;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// How far this run stands from a baseline recorded by several processes, measured against how far those processes
/// stand from each other. Trials of one process share its code placement, its JIT's choices and the machine's state
/// of the moment, so a statistic moves more between processes than between trials: on a 2-core CI machine the
/// sample's CPU per request differed by 35% between two runs of the same code. A comparison made over trials alone
/// counts one process's luck as a regression; this run is one more process, and a change must stand out from the
/// baseline's own runs to count.
/// </summary>
/// <remarks>
/// Each run is summarised by the median of its trials, on a log scale (changes are relative). With k runs, this run's
/// distance from their mean is compared with their spread by Student's t with k − 1 degrees of freedom, the
/// prediction interval for one more run: t = d / (s·√(1 + 1/k)). With a <see cref="SpreadPrior"/>, s² is the
/// baseline's own variance and the prior's weighed by their degrees of freedom, and t has their sum.
/// </remarks>
/// <para>
/// When this side is several runs too, as many as the baseline's and made alternately with them (a base-and-head
/// comparison in one job), the runs are paired by round: each round's change is the ratio of its two runs' medians,
/// and their mean, on the log scale, is tested by the paired t with n − 1 degrees of freedom, so drift that hit both
/// sides of a round alike cancels.
/// </para>
internal sealed record RunSpread(int Runs, double Widest, double PSlower, double PFaster, bool Paired = false, double LeastChange = 0, double MostChange = 0, int PooledSeries = 0)
{
    /// <summary>
    /// The comparison, or null when the baseline has fewer than two runs (one process shows no spread between processes).
    /// <paramref name="prior"/>, the spread of the same statistic in sibling baselines, moderates the baseline's own.
    /// </summary>
    public static RunSpread? Of(IReadOnlyList<double> baseline, IReadOnlyList<int>? runs, IReadOnlyList<double> current, IReadOnlyList<int>? currentRuns = null, SpreadPrior? prior = null)
    {
        if (runs is null || runs.Count < 2 || runs.Sum() != baseline.Count || current.Count == 0)
        {
            return null;
        }

        if (currentRuns is { Count: > 1 } && currentRuns.Count == runs.Count && currentRuns.Sum() == current.Count)
        {
            return OfPairs(RunMedians(baseline, runs), RunMedians(current, currentRuns));
        }

        var medians = RunMedians(baseline, runs).Where(double.IsFinite).ToList();
        var now = current.Where(v => double.IsFinite(v) && v > 0).ToArray();
        if (medians.Count < 2 || now.Length == 0)
        {
            return null;
        }

        var logs = medians.Select(m => Math.Log(m)).ToArray();
        var mean = logs.Average();
        var squares = logs.Sum(l => (l - mean) * (l - mean));
        double freedom = logs.Length - 1;
        var pooled = prior is { DegreesOfFreedom: > 0, LogVariance: > 0 } ? prior : null;
        if (pooled is not null)
        {
            squares += pooled.LogVariance * pooled.DegreesOfFreedom;
            freedom += pooled.DegreesOfFreedom;
        }

        var sd = Math.Sqrt(squares / freedom);
        var distance = Math.Log(RegressionComparer.Median(now)) - mean;
        var widest = (medians.Max() / medians.Min()) - 1;
        if (sd <= 0)
        {
            // Runs that agree exactly (exact counts): any difference stands out.
            return new RunSpread(medians.Count, widest, distance > 0 ? 0 : 1, distance < 0 ? 0 : 1);
        }

        var t = distance / (sd * Math.Sqrt(1 + (1.0 / logs.Length)));
        var student = new StudentDistribution(freedom);
        return new RunSpread(medians.Count, widest, 1 - student.Cdf(t), student.Cdf(t), PooledSeries: pooled?.Series ?? 0);
    }

    /// <summary>Paired rounds: each round's log ratio of its two runs' medians, tested by the paired t.</summary>
    private static RunSpread? OfPairs(double[] before, double[] after)
    {
        var changes = before.Zip(after).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).Select(p => Math.Log(p.Second / p.First)).ToArray();
        if (changes.Length < 2)
        {
            return null;
        }

        var mean = changes.Average();
        var sd = Math.Sqrt(changes.Sum(c => (c - mean) * (c - mean)) / (changes.Length - 1));
        var (least, most) = (Math.Exp(changes.Min()) - 1, Math.Exp(changes.Max()) - 1);
        if (sd <= 0)
        {
            return new RunSpread(changes.Length, 0, mean > 0 ? 0 : 1, mean < 0 ? 0 : 1, Paired: true, least, most);
        }

        var t = mean / (sd / Math.Sqrt(changes.Length));
        var student = new StudentDistribution(changes.Length - 1);
        return new RunSpread(changes.Length, 0, 1 - student.Cdf(t), student.Cdf(t), Paired: true, least, most);
    }

    /// <summary>Each run's median (NaN for a run without a positive finite value).</summary>
    private static double[] RunMedians(IReadOnlyList<double> values, IReadOnlyList<int> runs)
    {
        var medians = new double[runs.Count];
        var start = 0;
        for (var i = 0; i < runs.Count; i++)
        {
            var run = values.Skip(start).Take(runs[i]).Where(v => double.IsFinite(v) && v > 0).ToArray();
            start += runs[i];
            medians[i] = run.Length > 0 ? RegressionComparer.Median(run) : double.NaN;
        }

        return medians;
    }

    /// <summary>The evidence in words (<paramref name="direction"/> is "slower", "higher", "faster" or "lower"), e.g. "the baseline's 5 runs (separate processes) differ by up to 35% among themselves and this run is within that spread".</summary>
    public string Describe(string direction)
        => Paired
            ? $"round by round ({Runs} paired rounds, each side a separate process) the change went from {Formatting.SignedPercent(LeastChange)} to {Formatting.SignedPercent(MostChange)}, too uneven for {Runs} rounds to confirm"
            : $"the baseline's {Runs} runs (separate processes) differ by up to {Formatting.Percent(Widest)} among themselves"
                + (PooledSeries > 0 ? $" (their spread weighed with that of {Formatting.Plural(PooledSeries, "other series", "other series")} in this folder's baselines)" : string.Empty)
                + $", and this run is not {direction} than that spread explains";
}
