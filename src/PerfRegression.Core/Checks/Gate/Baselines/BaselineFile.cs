namespace PerfRegression;

/// <summary>
/// The committed baseline of one test (one theory case) in one profile. JSON that diffs well: fixed key
/// order, sorted maps, invariant numbers, and nothing volatile (no timestamps, no machine names).
/// </summary>
internal sealed class BaselineFile
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string Test { get; set; } = string.Empty;

    public string Profile { get; set; } = string.Empty;

    public EnvironmentFingerprint? Environment { get; set; }

    /// <summary>The calibration workload's time (ms) on the machine that recorded the baseline.</summary>
    public double CalibrationMilliseconds { get; set; }

    public List<ScenarioBaseline> Scenarios { get; set; } = [];

    public ScenarioBaseline? Scenario(string name) => Scenarios.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}

/// <summary>One scenario's baseline: its load and, per route, the statistics of every trial.</summary>
internal sealed class ScenarioBaseline
{
    public string Name { get; set; } = string.Empty;

    public string Load { get; set; } = string.Empty;

    public int Trials { get; set; }

    /// <summary>
    /// Trials per recording process, in order (a baseline extended by other processes has one entry per process), so
    /// the gate can tell the spread between processes from the spread between trials. Absent from baselines recorded
    /// before it was kept: their trials count as one process.
    /// </summary>
    public List<int> Runs { get; set; } = [];

    public List<RouteBaseline> Routes { get; set; } = [];

    /// <summary>The trials per recording process, or all trials as one when the file does not say.</summary>
    public IReadOnlyList<int> RunSizes => Runs.Count > 0 && Runs.Sum() == Trials ? Runs : [Trials];

    /// <summary>
    /// Per cost (cpu, alloc, db, server-cpu), its value per request in each trial; only costs every trial measured.
    /// Absent from baselines recorded before costs were kept: those compare latency only until re-recorded.
    /// </summary>
    public SortedDictionary<string, List<double>> Costs { get; set; } = new(StringComparer.Ordinal);

    public RouteBaseline? Route(string name) => Routes.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    public static ScenarioBaseline FromTrials(string name, IReadOnlyList<LoadReport> trials)
    {
        var merged = LoadReport.Merge(trials);
        return new ScenarioBaseline
        {
            Name = name,
            Load = trials[0].LoadProfile,
            Trials = trials.Count,
            Runs = [trials.Count],
            Routes = merged.Routes.Select(route => new RouteBaseline
            {
                Name = route.Name,
                Count = route.Count,
                ErrorRate = Math.Round(route.ErrorRate, 6),
                Throughput = Math.Round(route.Throughput, 3),
                P50 = Round(route.Latency.P50),
                P95 = Round(route.Latency.P95),
                P99 = Round(route.Latency.P99),
                TrialCounts = trials.Select(t => t.TryGetRoute(route.Name, out var r) ? r.Count : 0).ToList(),
                TrialStatistics = new SortedDictionary<string, List<double>>(
                    GatePolicy.KnownStatistics.ToDictionary(s => s, s => trials.Select(t => t.TryGetRoute(route.Name, out var r) ? Round(Statistic(r, s)) : double.NaN).ToList()),
                    StringComparer.Ordinal),
                Histogram = route.Latency.Encode(),
            }).ToList(),
            Costs = CostsOf(trials),
        };
    }

    /// <summary>Each cost every trial measured, per trial, rounded as stored.</summary>
    public static SortedDictionary<string, List<double>> CostsOf(IReadOnlyList<LoadReport> trials)
    {
        var costs = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var cost in GateStatistic.Costs)
        {
            var values = trials.Select(cost.Read).ToArray();
            if (values.All(v => v is { } x && double.IsFinite(x)))
            {
                costs[cost.Name] = values.Select(v => cost.Round(v!.Value)).ToList();
            }
        }

        return costs;
    }

    /// <summary>
    /// The baseline of <paramref name="earlier"/>'s trials and <paramref name="added"/>'s (another process's), as if
    /// recorded together: trial statistics and counts appended, histograms merged exactly, the figures read from them.
    /// Routes in one of the two only are kept as they are.
    /// </summary>
    public static ScenarioBaseline Combine(ScenarioBaseline earlier, ScenarioBaseline added)
    {
        var routes = earlier.Routes.Select(e => added.Route(e.Name) is { } a ? RouteBaseline.Combine(e, a) : e)
            .Concat(added.Routes.Where(a => earlier.Route(a.Name) is null))
            .ToList();
        // A cost only one of the two measured cannot be told apart from the other's trials: it is left out.
        var costs = new SortedDictionary<string, List<double>>(
            earlier.Costs.Keys.Intersect(added.Costs.Keys).ToDictionary(c => c, c => (List<double>)[.. earlier.Costs[c], .. added.Costs[c]]),
            StringComparer.Ordinal);
        return new ScenarioBaseline { Name = added.Name, Load = added.Load, Trials = earlier.Trials + added.Trials, Runs = [.. earlier.RunSizes, .. added.RunSizes], Routes = routes, Costs = costs };
    }

    public static double Statistic(RouteStatistics route, string statistic) => statistic switch
    {
        "p50" => route.Latency.P50,
        "p90" => route.Latency.P90,
        "p95" => route.Latency.P95,
        "p99" => route.Latency.P99,
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "Unknown gate statistic."),
    };

    private static double Round(double value) => double.IsNaN(value) ? value : Math.Round(value, 3);
}

/// <summary>One route's baseline statistics.</summary>
internal sealed class RouteBaseline
{
    public string Name { get; set; } = string.Empty;

    public long Count { get; set; }

    public double ErrorRate { get; set; }

    public double Throughput { get; set; }

    public double P50 { get; set; }

    public double P95 { get; set; }

    public double P99 { get; set; }

    /// <summary>Requests per trial.</summary>
    public List<long> TrialCounts { get; set; } = [];

    /// <summary>Per statistic (p50, p90, p95, p99), its value in each trial: the spread the gate decides on.</summary>
    public SortedDictionary<string, List<double>> TrialStatistics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>All trials' latencies, merged, as an encoded HdrHistogram.</summary>
    public string Histogram { get; set; } = string.Empty;

    public static RouteBaseline Combine(RouteBaseline earlier, RouteBaseline added)
    {
        var histogram = LatencyDistribution.Merge([LatencyDistribution.Decode(earlier.Histogram), LatencyDistribution.Decode(added.Histogram)]);
        var count = earlier.Count + added.Count;
        return new RouteBaseline
        {
            Name = added.Name,
            Count = count,
            ErrorRate = count == 0 ? 0 : Math.Round(((earlier.ErrorRate * earlier.Count) + (added.ErrorRate * added.Count)) / count, 6),
            Throughput = count == 0 ? 0 : Math.Round(((earlier.Throughput * earlier.Count) + (added.Throughput * added.Count)) / count, 3),
            P50 = Math.Round(histogram.P50, 3),
            P95 = Math.Round(histogram.P95, 3),
            P99 = Math.Round(histogram.P99, 3),
            TrialCounts = [.. earlier.TrialCounts, .. added.TrialCounts],
            TrialStatistics = new SortedDictionary<string, List<double>>(
                earlier.TrialStatistics.Keys.Union(added.TrialStatistics.Keys).ToDictionary(
                    s => s,
                    s => (List<double>)[.. earlier.TrialStatistics.GetValueOrDefault(s) ?? [], .. added.TrialStatistics.GetValueOrDefault(s) ?? []]),
                StringComparer.Ordinal),
            Histogram = histogram.Encode(),
        };
    }
}
