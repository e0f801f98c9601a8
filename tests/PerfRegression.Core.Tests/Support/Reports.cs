using PerfRegression.Measurement;

namespace PerfRegression.Tests.Support;

/// <summary>Builds load reports from known values, so statistics and messages can be checked exactly.</summary>
internal static class Reports
{
    public static LatencyDistribution Distribution(IEnumerable<double> milliseconds, int significantDigits = 3)
    {
        var histogram = Histograms.Create(significantDigits);
        foreach (var ms in milliseconds)
        {
            histogram.RecordValue(Histograms.Clamp((long)Math.Round(ms * 1000)));
        }

        return new LatencyDistribution(histogram);
    }

    public static RouteStatistics Route(string name, IEnumerable<double> milliseconds, long errors = 0, TimeSpan? duration = null, IReadOnlyDictionary<string, long>? errorsByKind = null, long? responseBytes = null)
        => new(
            name,
            Distribution(milliseconds),
            serviceTime: null,
            errors,
            errorsByKind ?? (errors > 0 ? new Dictionary<string, long> { ["HTTP 500"] = errors } : new Dictionary<string, long>()),
            [],
            duration ?? TimeSpan.FromSeconds(10))
        {
            ResponseBytes = responseBytes,
        };

    /// <summary><paramref name="route"/> with <paramref name="group"/> and <paramref name="tags"/>, and the implicit <c>scenario</c> tag, as a run labels it.</summary>
    public static RouteStatistics Labelled(RouteStatistics route, string scenario, string? group, params (string Key, string Value)[] tags)
    {
        route.Group = group;
        route.Tags = new SortedDictionary<string, string>(tags.Append(("scenario", scenario)).ToDictionary(t => t.Item1, t => t.Item2), StringComparer.Ordinal);
        return route;
    }

    public static LoadReport Report(string scenario, params RouteStatistics[] routes) => Report(scenario, [], routes);

    public static LoadReport Report(string scenario, IReadOnlyList<string> warnings, params RouteStatistics[] routes)
        => new(
            scenario,
            "in-memory TestServer",
            "closed: 10 users for 10 s",
            openModel: false,
            maxConcurrency: 10,
            new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
            TimeSpan.FromSeconds(10),
            iterations: routes.Length == 0 ? 0 : routes.Max(r => r.Count),
            droppedIterations: 0,
            delayedStarts: 0,
            interruptedIterations: 0,
            routes,
            [],
            runtime: null,
            warnings);

    /// <summary>A report of <paramref name="requests"/> 1 ms requests whose runtime health carries the given resource totals.</summary>
    public static LoadReport WithResources(int requests, TimeSpan cpu, long allocated, int gen0, TimeSpan? server = null, Timeline? timeline = null, IReadOnlyList<ResourceSample>? samples = null)
    {
        var runtime = new RuntimeHealth(20, 2, 0.3, 0.3, gen0, 0, 0, TimeSpan.Zero, allocated, 0, 0, 4, 4, [], TimeSpan.FromSeconds(5), false, 0.3)
        {
            CpuTime = cpu,
            ServerCpuTime = server,
        };
        return new LoadReport("s", "in-memory TestServer", "closed: 1 user for 5 s", false, 1, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(5), requests, 0, 0, 0, [Route("a", Enumerable.Repeat(1.0, requests))], [], runtime, [])
        {
            Timeline = timeline,
            ResourceSamples = samples,
        };
    }

    /// <summary>A run of <paramref name="requests"/> requests that measured memory: <paramref name="growth"/> bytes of heap growth from 40 MiB.</summary>
    public static LoadReport WithMemory(int requests, long growth, long? workingSet = 200L * 1024 * 1024, bool otherTests = false)
    {
        var runtime = new RuntimeHealth(20, 2, 0.3, 0.3, 1, 0, 0, TimeSpan.Zero, 1, 0, 0, 4, 4, [], TimeSpan.FromSeconds(5), false, 0.3) { OtherTestsInProcess = otherTests };
        var start = 40L * 1024 * 1024;
        return new LoadReport("s", "in-memory TestServer", "closed: 1 user for 5 s", false, 1, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(5), requests, 0, 0, 0, [Route("a", Enumerable.Repeat(1.0, requests))], [], runtime, [])
        {
            Memory = new MemoryUsage(start, start + growth, growth, workingSet, requests),
        };
    }

    /// <summary>A run of scenario <paramref name="scenario"/> (one 1 ms route of 1,000 requests over 10 s) that recorded <paramref name="metrics"/>.</summary>
    public static LoadReport WithMetrics(string scenario, params CustomMetricSummary[] metrics)
        => new(scenario, "in-memory TestServer", "closed: 10 users for 10 s", false, 10, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(10), 1000, 0, 0, 0, [Route("pay", Enumerable.Repeat(1.0, 1000))], metrics, runtime: null, []);

    /// <summary>A rate of <paramref name="trues"/> true values of <paramref name="total"/>.</summary>
    public static CustomMetricSummary Rate(string name, long trues, long total) => new(name, CustomMetricKind.Rate, null, trues, total, 0, TimeSpan.FromSeconds(10));

    /// <summary>A trend of 1..count milliseconds × <paramref name="scale"/>.</summary>
    public static CustomMetricSummary Trend(string name, int count, double scale = 1) => new(name, CustomMetricKind.Trend, Distribution(Uniform(count, scale)), 0, 0, 0, TimeSpan.FromSeconds(10));

    /// <summary>A counter that summed to <paramref name="sum"/> over 10 s.</summary>
    public static CustomMetricSummary Counter(string name, double sum) => new(name, CustomMetricKind.Counter, null, 0, 0, sum, TimeSpan.FromSeconds(10));

    /// <summary>1..count milliseconds, one value each: the exact p-th percentile is ceil(p/100 × count).</summary>
    public static double[] Uniform(int count, double scale = 1) => Enumerable.Range(1, count).Select(i => i * scale).ToArray();
}
