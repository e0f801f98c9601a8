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
/// prediction interval for one more run: t = d / (s·√(1 + 1/k)).
/// </remarks>
internal sealed record RunSpread(int Runs, double Widest, double PSlower, double PFaster)
{
    /// <summary>The comparison, or null when the baseline has fewer than two runs (one process shows no spread between processes).</summary>
    public static RunSpread? Of(IReadOnlyList<double> baseline, IReadOnlyList<int>? runs, IReadOnlyList<double> current)
    {
        if (runs is null || runs.Count < 2 || runs.Sum() != baseline.Count || current.Count == 0)
        {
            return null;
        }

        var medians = new List<double>();
        var start = 0;
        foreach (var size in runs)
        {
            var values = baseline.Skip(start).Take(size).Where(v => double.IsFinite(v) && v > 0).ToArray();
            start += size;
            if (values.Length > 0)
            {
                medians.Add(RegressionComparer.Median(values));
            }
        }

        var now = current.Where(v => double.IsFinite(v) && v > 0).ToArray();
        if (medians.Count < 2 || now.Length == 0)
        {
            return null;
        }

        var logs = medians.Select(m => Math.Log(m)).ToArray();
        var mean = logs.Average();
        var sd = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / (logs.Length - 1));
        var distance = Math.Log(RegressionComparer.Median(now)) - mean;
        var widest = (medians.Max() / medians.Min()) - 1;
        if (sd <= 0)
        {
            // Runs that agree exactly (exact counts): any difference stands out.
            return new RunSpread(medians.Count, widest, distance > 0 ? 0 : 1, distance < 0 ? 0 : 1);
        }

        var t = distance / (sd * Math.Sqrt(1 + (1.0 / logs.Length)));
        var student = new StudentDistribution(logs.Length - 1);
        return new RunSpread(medians.Count, widest, 1 - student.Cdf(t), student.Cdf(t));
    }

    /// <summary>The evidence in words, e.g. "the baseline's 5 runs (separate processes) differ by up to 35% among themselves and this run is within that spread".</summary>
    public string Describe(string direction)
        => $"the baseline's {Runs} runs (separate processes) differ by up to {Formatting.Percent(Widest)} among themselves, and this run is not {direction} than that spread explains";
}
