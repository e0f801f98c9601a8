namespace PerfRegression;

/// <summary>
/// The spread between processes of one statistic, estimated from the other baselines of a folder that several processes
/// recorded. Five runs estimate a spread poorly (by chance they can agree within 3% where the machine moves 10%): the
/// sample's shopping list's five runs spread 3.1% in CPU per request, its siblings' 9.1%, and a CI process of the same
/// code measured +31%. A series' own spread is weighed with this one by degrees of freedom (a moderated variance), so
/// one that agreed by chance does not make an ordinary process look like a regression.
/// </summary>
/// <remarks>
/// How much the siblings say about one series depends on how alike their spreads are. The prior's variance and its
/// degrees of freedom are estimated from the series' variances as in empirical-Bayes moderated statistics (Smyth,
/// 2004): when the series' log variances scatter no more than sampling explains, the series share one spread and the
/// prior counts as all their degrees of freedom (as many as the series hold together, no more); when they scatter more
/// (routes of one suite whose processes differ by 0.4% and by 4%), the prior counts for less and each series' own runs
/// for more. The sample's CPU series (spreads 7–13%) pool fully; a benchmark's CPU-bound and waiting routes (0.4–4%)
/// hardly at all.
/// </remarks>
/// <param name="LogVariance">The prior variance of the runs' log medians.</param>
/// <param name="DegreesOfFreedom">What the prior counts for, in degrees of freedom.</param>
/// <param name="Series">How many series (route or cost of a scenario of a baseline) it pools.</param>
internal sealed record SpreadPrior(double LogVariance, double DegreesOfFreedom, int Series)
{
    /// <summary>The fewest series with a spread from which the scatter of their spreads is estimated; with fewer they are pooled.</summary>
    private const int SeriesForScatter = 3;

    /// <summary>
    /// Pools the series, each its trial values and how many trials each run made; series of fewer than two runs, or
    /// with a run without a positive value, add nothing. Null when nothing was pooled.
    /// </summary>
    public static SpreadPrior? Pool(IEnumerable<(IReadOnlyList<double> Values, IReadOnlyList<int> Runs)> series)
    {
        var variances = new List<(double Variance, int Freedom)>();
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

            if (complete)
            {
                var mean = logs.Average();
                variances.Add((logs.Sum(l => (l - mean) * (l - mean)) / (logs.Length - 1), logs.Length - 1));
            }
        }

        var freedom = variances.Sum(v => v.Freedom);
        if (freedom == 0)
        {
            return null;
        }

        var pooled = new SpreadPrior(variances.Sum(v => v.Variance * v.Freedom) / freedom, freedom, variances.Count);
        var spread = variances.Where(v => v.Variance > 0).ToArray();
        if (spread.Length < SeriesForScatter)
        {
            return pooled;
        }

        // Each log variance less its expected bias; their scatter beyond what sampling gives is the prior's own.
        var z = spread.Select(v => Math.Log(v.Variance) - Digamma(v.Freedom / 2.0) + Math.Log(v.Freedom / 2.0)).ToArray();
        var meanZ = z.Average();
        var excess = (z.Sum(x => (x - meanZ) * (x - meanZ)) / (z.Length - 1)) - spread.Average(v => Trigamma(v.Freedom / 2.0));
        if (excess <= Trigamma(freedom / 2.0))
        {
            return pooled; // no more scatter than sampling explains: one shared spread
        }

        var priorFreedom = 2 * InverseTrigamma(excess);
        return new SpreadPrior(Math.Exp(meanZ + Digamma(priorFreedom / 2) - Math.Log(priorFreedom / 2)), priorFreedom, variances.Count);
    }

    /// <summary>ψ(x), by the recurrence up to 10 and the asymptotic series beyond (within 1e-10).</summary>
    internal static double Digamma(double x)
    {
        var result = 0.0;
        for (; x < 10; x++)
        {
            result -= 1 / x;
        }

        var inverse = 1 / (x * x);
        return result + Math.Log(x) - (0.5 / x) - (inverse * ((1.0 / 12) - (inverse * ((1.0 / 120) - (inverse / 252)))));
    }

    /// <summary>ψ′(x), by the recurrence up to 10 and the asymptotic series beyond.</summary>
    internal static double Trigamma(double x)
    {
        var result = 0.0;
        for (; x < 10; x++)
        {
            result += 1 / (x * x);
        }

        var inverse = 1 / (x * x);
        return result + (1 / x) + (inverse / 2) + ((inverse / x) * ((1.0 / 6) - (inverse * ((1.0 / 30) - (inverse / 42)))));
    }

    /// <summary>The y with ψ′(y) = <paramref name="value"/> (ψ′ falls from ∞ to 0), by bisection on a log scale.</summary>
    internal static double InverseTrigamma(double value)
    {
        double low = 1e-8, high = 1e8;
        for (var i = 0; i < 200; i++)
        {
            var middle = Math.Sqrt(low * high);
            if (Trigamma(middle) > value)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return Math.Sqrt(low * high);
    }
}
