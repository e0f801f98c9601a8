namespace PerfRegression;

/// <summary>
/// The spread between processes of one statistic, pooled over the other baselines of a folder that several processes
/// recorded: the variance of their runs' log medians about each series' mean, and its degrees of freedom. Five runs
/// estimate a spread poorly (by chance they can agree within 3% where the machine moves 10%): the sample's shopping
/// list's five runs spread 3.1% in CPU per request, its siblings' 9.1%, and a CI process of the same code measured
/// +31%. A series' own spread is weighed with this one by their degrees of freedom (a moderated variance), so one
/// that agreed by chance does not make an ordinary process look like a regression.
/// </summary>
/// <param name="LogVariance">The pooled variance of the runs' log medians.</param>
/// <param name="DegreesOfFreedom">Runs less one per series, summed.</param>
/// <param name="Series">How many series (route or cost of a scenario of a baseline) it pools.</param>
internal sealed record SpreadPrior(double LogVariance, int DegreesOfFreedom, int Series)
{
    /// <summary>
    /// Pools the series, each its trial values and how many trials each run made; series of fewer than two runs, or
    /// with a run without a positive value, add nothing. Null when nothing was pooled.
    /// </summary>
    public static SpreadPrior? Pool(IEnumerable<(IReadOnlyList<double> Values, IReadOnlyList<int> Runs)> series)
    {
        double squares = 0;
        int freedom = 0, count = 0;
        foreach (var (values, runs) in series)
        {
            if (runs.Count < 2 || runs.Sum() != values.Count)
            {
                continue;
            }

            var logs = new double[runs.Count];
            var start = 0;
            var complete = true;
            for (var i = 0; i < runs.Count && complete; i++)
            {
                var run = values.Skip(start).Take(runs[i]).Where(v => double.IsFinite(v) && v > 0).ToArray();
                start += runs[i];
                complete = run.Length > 0;
                logs[i] = complete ? Math.Log(RegressionComparer.Median(run)) : 0;
            }

            if (!complete)
            {
                continue;
            }

            var mean = logs.Average();
            squares += logs.Sum(l => (l - mean) * (l - mean));
            freedom += logs.Length - 1;
            count++;
        }

        return freedom > 0 ? new SpreadPrior(squares / freedom, freedom, count) : null;
    }
}
