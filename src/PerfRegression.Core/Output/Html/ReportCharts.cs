namespace PerfRegression.Html;

/// <summary>One chart of the HTML report, as the page's script draws it with uPlot: x values and the series over them.</summary>
/// <param name="Id">The element the chart is drawn into.</param>
/// <param name="Title">The chart's title.</param>
/// <param name="Kind"><c>time</c> (x in seconds), <c>percentiles</c> (x is 1/(1-q), both axes logarithmic) or <c>trials</c> (x is the trial's number).</param>
/// <param name="XLabel">The x axis's label.</param>
/// <param name="YLabel">The left axis's label.</param>
/// <param name="Y2Label">The right axis's label, when a series uses it.</param>
/// <param name="X">The x values, ascending.</param>
/// <param name="Series">The series, each with a value (or a gap) per x.</param>
internal sealed record ReportChart(string Id, string Title, string Kind, string XLabel, string YLabel, string? Y2Label, IReadOnlyList<double> X, IReadOnlyList<ReportSeries> Series);

/// <summary>One series of a <see cref="ReportChart"/>.</summary>
/// <param name="Label">Its name in the legend.</param>
/// <param name="Values">A value per x; <see langword="null"/> is a gap (a line breaks there).</param>
/// <param name="Color">Its colour.</param>
/// <param name="Style"><c>line</c>, <c>dashed</c> (the baseline) or <c>points</c> (marks only, e.g. errors).</param>
/// <param name="SecondAxis">Whether it is read on the right axis.</param>
internal sealed record ReportSeries(string Label, IReadOnlyList<double?> Values, string Color, string Style = "line", bool SecondAxis = false);

/// <summary>
/// The charts of one scenario, from its trials (and its baseline when there is one): the percentile distribution,
/// each trial's p95 and CPU per request, latency over time per route, throughput and users, runtime health.
/// </summary>
internal static class ReportCharts
{
    /// <summary>At most this many routes get their own lines or charts; a journey with more shows its busiest.</summary>
    public const int MaxRoutes = 8;

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>Percentiles of the distribution chart: as far into the tail as the requests reach (a 99.99th of 500 requests means nothing).</summary>
    private static readonly double[] Quantiles = [0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999];

    public static string Color(int index) => Palette[index % Palette.Length];

    /// <summary>The routes charted, busiest first when there are more than <see cref="MaxRoutes"/>, in scenario order.</summary>
    public static IReadOnlyList<RouteStatistics> Routes(LoadReport merged)
    {
        var routes = merged.Routes.Where(r => r.Count > 0).ToArray();
        if (routes.Length <= MaxRoutes)
        {
            return routes;
        }

        var busiest = routes.OrderByDescending(r => r.Count).Take(MaxRoutes).ToHashSet();
        return routes.Where(busiest.Contains).ToArray();
    }

    /// <summary>The latency distribution of each route (x = 1/(1-q)), with the baseline's dashed beside it.</summary>
    public static ReportChart Percentiles(string id, LoadReport merged, ScenarioBaseline? baseline)
    {
        var routes = Routes(merged);
        var deepest = routes.Max(r => r.Latency.Count);
        var quantiles = Quantiles.Where(q => q == 0 || (1 - q) * deepest >= 1).ToArray();
        var x = quantiles.Select(q => 1 / (1 - q)).ToArray();
        var series = new List<ReportSeries>();
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            series.Add(new ReportSeries(route.Name, Distribution(route.Latency, quantiles), Color(i)));
            if (baseline?.Route(route.Name) is { Histogram.Length: > 0 } recorded)
            {
                series.Add(new ReportSeries($"{route.Name} (baseline)", Distribution(LatencyDistribution.Decode(recorded.Histogram), quantiles), Color(i), "dashed"));
            }
        }

        return new ReportChart(id, "Latency distribution (log scales)", "percentiles", "percentile", "latency (ms)", null, x, series);
    }

    /// <summary>Each trial's p95 per route, the baseline's trials dashed beside them: what the gate compared.</summary>
    public static ReportChart TrialLatency(string id, IReadOnlyList<LoadReport> trials, ScenarioBaseline? baseline, IReadOnlyList<RouteStatistics> routes)
    {
        var length = Math.Max(trials.Count, routes.Max(r => baseline?.Route(r.Name)?.TrialStatistics.GetValueOrDefault("p95")?.Count ?? 0));
        var series = new List<ReportSeries>();
        for (var i = 0; i < routes.Count; i++)
        {
            var name = routes[i].Name;
            series.Add(new ReportSeries(name, Pad(trials.Select(t => t.TryGetRoute(name, out var route) && route.Latency.Count > 0 ? route.Latency.P95 : (double?)null), length), Color(i), "points"));
            if (baseline?.Route(name)?.TrialStatistics.GetValueOrDefault("p95") is { Count: > 0 } recorded)
            {
                series.Add(new ReportSeries($"{name} (baseline)", Pad(recorded.Select(v => (double?)v), length), Color(i), "dashed"));
            }
        }

        return new ReportChart(id, "p95 of each trial", "trials", "trial", "p95 (ms)", null, Enumerable.Range(1, length).Select(n => (double)n).ToArray(), series);
    }

    /// <summary>Each trial's CPU per request, the baseline's beside it; <see langword="null"/> when neither measured it.</summary>
    public static ReportChart? TrialCpu(string id, IReadOnlyList<LoadReport> trials, ScenarioBaseline? baseline)
    {
        var current = trials.Select(t => t.Resources?.CpuMillisecondsPerRequest).ToArray();
        var recorded = baseline?.Costs.GetValueOrDefault("cpu") ?? [];
        if (current.All(v => v is null) && recorded.Count == 0)
        {
            return null;
        }

        var length = Math.Max(current.Length, recorded.Count);
        var series = new List<ReportSeries> { new("CPU per request", Pad(current, length), Color(0), "points") };
        if (recorded.Count > 0)
        {
            series.Add(new ReportSeries("CPU per request (baseline)", Pad(recorded.Select(v => (double?)v), length), Color(0), "dashed"));
        }

        return new ReportChart(id, "This process's CPU per request, each trial", "trials", "trial", "CPU (ms per request)", null, Enumerable.Range(1, length).Select(n => (double)n).ToArray(), series);
    }

    /// <summary>One route's p50/p95/p99/max per interval, with its errors marked on the right axis; trials back to back.</summary>
    public static ReportChart? LatencyOverTime(string id, string route, IReadOnlyList<LoadReport> trials)
    {
        var rows = Rows(trials);
        if (rows.Count == 0)
        {
            return null;
        }

        TimelineRoute? Of(TimelineInterval? interval) => interval?.Routes.FirstOrDefault(r => string.Equals(r.Name, route, StringComparison.Ordinal));
        double? Latency(TimelineInterval? interval, Func<TimelineRoute, double> read) => Of(interval) is { } r && r.Requests > r.Errors ? read(r) : null;
        return new ReportChart(id, $"Latency over time: {route}", "time", "seconds (trials back to back)", "latency (ms)", "errors in the interval", rows.Select(r => r.X).ToArray(),
        [
            new ReportSeries("p50", rows.Select(r => Latency(r.Interval, l => l.P50)).ToArray(), Color(2)),
            new ReportSeries("p95", rows.Select(r => Latency(r.Interval, l => l.P95)).ToArray(), Color(0)),
            new ReportSeries("p99", rows.Select(r => Latency(r.Interval, l => l.P99)).ToArray(), Color(4)),
            new ReportSeries("max", rows.Select(r => Latency(r.Interval, l => l.Max)).ToArray(), Color(5), "dashed"),
            new ReportSeries("errors", rows.Select(r => Of(r.Interval) is { Errors: > 0 } e ? e.Errors : (double?)null).ToArray(), Color(1), "points", SecondAxis: true),
        ]);
    }

    /// <summary>Requests and errors per second, with the users (closed model) or iterations started per second (open model).</summary>
    public static ReportChart? Throughput(string id, IReadOnlyList<LoadReport> trials)
    {
        var rows = Rows(trials);
        if (rows.Count == 0)
        {
            return null;
        }

        var open = trials.Any(t => t.OpenModel);
        return new ReportChart(id, "Throughput and load", "time", "seconds (trials back to back)", "per second", open ? "iterations started per second" : "active users", rows.Select(r => r.X).ToArray(),
        [
            new ReportSeries("requests/s", rows.Select(r => PerSecond(r.Interval, i => i.Requests)).ToArray(), Color(0)),
            new ReportSeries("errors/s", rows.Select(r => r.Interval is { Errors: > 0 } i ? i.Errors / i.Seconds : (double?)null).ToArray(), Color(1), "points"),
            open
                ? new ReportSeries("iterations/s", rows.Select(r => PerSecond(r.Interval, i => i.Iterations)).ToArray(), Color(2), SecondAxis: true)
                : new ReportSeries("users", rows.Select(r => r.Interval?.Users).ToArray(), Color(2), SecondAxis: true),
        ]);
    }

    /// <summary>This process's CPU share, the thread-pool queue, collections and database operations per interval.</summary>
    public static ReportChart? RuntimeHealth(string id, IReadOnlyList<LoadReport> trials)
    {
        var rows = Rows(trials);
        if (rows.Count == 0)
        {
            return null;
        }

        var series = new List<ReportSeries>
        {
            new("process CPU (% of the machine)", rows.Select(r => r.Interval?.ProcessCpu * 100).ToArray(), Color(0)),
            new("thread-pool queue", rows.Select(r => r.Interval is { } i ? i.ThreadPoolQueue : (double?)null).ToArray(), Color(3), SecondAxis: true),
            new("garbage collections", rows.Select(r => r.Interval is { } i ? i.Gen0Collections + i.Gen1Collections + i.Gen2Collections : (double?)null).ToArray(), Color(4), SecondAxis: true),
        };
        if (rows.Any(r => r.Interval?.DatabaseOperations is not null))
        {
            series.Add(new ReportSeries("database operations/s", rows.Select(r => r.Interval is { DatabaseOperations: { } ops } i ? ops / i.Seconds : (double?)null).ToArray(), Color(2), SecondAxis: true));
        }

        return new ReportChart(id, "Runtime health", "time", "seconds (trials back to back)", "CPU %", "per interval (operations per second)", rows.Select(r => r.X).ToArray(), series);
    }

    /// <summary>A soak's resource samples: the heap after full collections, with handles, threads and database connections.</summary>
    public static ReportChart? Resources(string id, LoadReport merged)
    {
        if (merged.ResourceSamples is not { Count: > 0 } samples)
        {
            return null;
        }

        var series = new List<ReportSeries> { new("heap after a full collection (MiB)", samples.Select(s => (double?)(s.HeapBytes / (1024.0 * 1024))).ToArray(), Color(0)) };
        if (samples.Any(s => s.Handles is not null))
        {
            series.Add(new ReportSeries("open handles", samples.Select(s => (double?)s.Handles).ToArray(), Color(3), SecondAxis: true));
        }

        if (samples.Any(s => s.Threads is not null))
        {
            series.Add(new ReportSeries("threads", samples.Select(s => (double?)s.Threads).ToArray(), Color(4), SecondAxis: true));
        }

        if (samples.Any(s => s.DatabaseConnections is not null))
        {
            series.Add(new ReportSeries("database connections", samples.Select(s => (double?)s.DatabaseConnections).ToArray(), Color(2), SecondAxis: true));
        }

        return new ReportChart(id, "Resources over the soak (leak check samples)", "time", "seconds (trials back to back)", "heap (MiB)", "count", samples.Select(s => s.Seconds).ToArray(), series);
    }

    private static double?[] Distribution(LatencyDistribution latency, double[] quantiles)
        => quantiles.Select(q => latency.Count == 0 ? (double?)null : Positive(q == 0 ? latency.Min : latency.Percentile(q * 100))).ToArray();

    // Logarithmic axes cannot show zero or less.
    private static double? Positive(double value) => value > 0 && double.IsFinite(value) ? value : null;

    private static double? PerSecond(TimelineInterval? interval, Func<TimelineInterval, long> read) => interval is { Seconds: > 0 } i ? read(i) / i.Seconds : null;

    private static double?[] Pad(IEnumerable<double?> values, int length)
    {
        var padded = values.ToList();
        while (padded.Count < length)
        {
            padded.Add(null);
        }

        return padded.ToArray();
    }

    /// <summary>
    /// Every trial's intervals on one axis, each at its end (seconds), trials back to back, with a gap row between
    /// trials so lines do not join two trials.
    /// </summary>
    private static List<(double X, TimelineInterval? Interval)> Rows(IReadOnlyList<LoadReport> trials)
    {
        var rows = new List<(double X, TimelineInterval? Interval)>();
        var offset = 0.0;
        foreach (var trial in trials)
        {
            if (trial.Timeline is not { Intervals.Count: > 0 } timeline)
            {
                continue;
            }

            if (rows.Count > 0)
            {
                rows.Add((offset + 0.001, null));
            }

            foreach (var interval in timeline.Intervals)
            {
                rows.Add((offset + interval.StartSeconds + interval.Seconds, interval));
            }

            offset = rows[^1].X;
        }

        return rows;
    }
}
