using PerfRegression.Text;

namespace PerfRegression;

/// <summary>The statistic a budget limits.</summary>
public enum BudgetMetric
{
    /// <summary>Median latency, milliseconds (upper limit).</summary>
    P50,

    /// <summary>90th-percentile latency, milliseconds (upper limit).</summary>
    P90,

    /// <summary>95th-percentile latency, milliseconds (upper limit).</summary>
    P95,

    /// <summary>99th-percentile latency, milliseconds (upper limit).</summary>
    P99,

    /// <summary>Largest latency, milliseconds (upper limit).</summary>
    Max,

    /// <summary>Errors over requests, 0..1 (upper limit).</summary>
    ErrorRate,

    /// <summary>Completed requests per second (lower limit).</summary>
    MinThroughput,

    /// <summary>This process's CPU time per request, milliseconds (upper limit; see <see cref="ResourceUsage"/>).</summary>
    CpuPerRequest,

    /// <summary>Bytes this process allocated per request (upper limit).</summary>
    AllocatedPerRequest,

    /// <summary>Database operations per request, as the database client counts them (upper limit).</summary>
    DatabaseOperationsPerRequest,

    /// <summary>Generation-0 collections per 1,000 requests (upper limit).</summary>
    Gen0Per1000Requests,

    /// <summary>Response body bytes per request, per route (upper limit; HTTP steps only).</summary>
    ResponseBytesPerRequest,

    /// <summary>Managed heap growth per 1,000 requests over the measured phase, bytes, after full collections (upper limit; see <see cref="MemoryUsage"/>).</summary>
    HeapGrowthPer1000Requests,

    /// <summary>Managed heap after a full collection at the end of the measured phase, bytes (upper limit).</summary>
    HeapAfterRun,

    /// <summary>The largest working set (resident memory) of this process during the measured phase, bytes (upper limit).</summary>
    WorkingSetPeak,
}

/// <summary>
/// An absolute limit on one statistic, for one route or for all routes together. Stated with
/// <c>[LatencyBudget]</c> on a test, or in code with <see cref="LoadReportBudgetExtensions.EnsureWithin"/>.
/// </summary>
public sealed class Budget
{
    /// <summary>
    /// The error-rate budget of a performance test that states none: at most 1% of its requests may fail. A run
    /// against a dead target (every request a refused connection) fails the test, as k6's <c>http_req_failed</c>
    /// threshold would, instead of passing on latencies that measured nothing. State <c>ErrorRate</c> on a
    /// <c>[LatencyBudget]</c> to set your own.
    /// </summary>
    public const double DefaultErrorRate = 0.01;

    /// <summary>How long a run is measured before an abort-on-fail budget is first judged, unless stated: 5 seconds (k6's <c>delayAbortEval</c>), so a run is not ended on its first few requests.</summary>
    public static readonly TimeSpan DefaultAbortDelay = TimeSpan.FromSeconds(5);

    private Budget(BudgetMetric metric, double limit, string? route, bool isDefault = false)
    {
        IsDefault = isDefault;
        Metric = metric;
        Limit = limit;
        Route = route;
    }

    private Budget(Budget other)
        : this(other.Metric, other.Limit, other.Route, other.IsDefault)
    {
        Tag = other.Tag;
        Group = other.Group;
        AbortOnFail = other.AbortOnFail;
        AbortDelay = other.AbortDelay;
    }

    /// <summary>
    /// The tag the budget is scoped to, <c>key:value</c> (k6's <c>http_req_duration{kind:payment}</c>): it judges every
    /// route carrying the tag, together, across the test's scenarios. <see langword="null"/> when not scoped to a tag.
    /// Every route carries <c>scenario:&lt;its scenario&gt;</c>.
    /// </summary>
    public string? Tag { get; private init; }

    /// <summary>The group of steps the budget is scoped to (<see cref="Scenario.Group"/>): it judges the group's routes together, nested groups included. <see langword="null"/> when not scoped to a group.</summary>
    public string? Group { get; private init; }

    /// <summary>
    /// Whether a run is ended as soon as this budget is broken over the run so far (k6's <c>abortOnFail</c>), judged
    /// after each timeline interval once <see cref="AbortDelay"/> has been measured; the test then fails with the run
    /// reported as aborted. Only latency, error-rate and throughput budgets can be judged while a run goes on.
    /// </summary>
    public bool AbortOnFail { get; private init; }

    /// <summary>How long the run is measured before this budget is first judged for an abort; <see cref="DefaultAbortDelay"/> unless stated.</summary>
    public TimeSpan AbortDelay { get; private init; } = DefaultAbortDelay;

    /// <summary>This budget scoped to the routes carrying <paramref name="tag"/> (<c>key:value</c>, e.g. <c>"kind:payment"</c> or <c>"scenario:checkout"</c>) instead of a route.</summary>
    public Budget ForTag(string tag) => new(this) { Tag = tag };

    /// <summary>This budget scoped to the routes of group <paramref name="group"/> (nested groups included) instead of a route.</summary>
    public Budget ForGroup(string group) => new(this) { Group = group };

    /// <summary>This budget, ending the run as soon as it is broken over the run so far, judged from <paramref name="after"/> of measurement on (default <see cref="DefaultAbortDelay"/>).</summary>
    public Budget AbortingOnFail(TimeSpan? after = null) => new(this) { AbortOnFail = true, AbortDelay = after ?? DefaultAbortDelay };

    /// <summary>What the budget judges, as the verdict names it: the route, <c>{kind:payment}</c> for a tag, <c>group checkout</c> for a group, or <see cref="LoadReport.AllRoutes"/>.</summary>
    public string Scope => Route ?? (Tag is { } tag ? $"{{{tag}}}" : Group is { } group ? $"group {group}" : LoadReport.AllRoutes);

    /// <summary>Whether the budget is scoped to a tag or a group, judging several routes together.</summary>
    internal bool IsLabelScoped => Tag is not null || Group is not null;

    /// <summary>Whether <paramref name="route"/> is in this tag- or group-scoped budget's scope.</summary>
    internal bool Covers(RouteStatistics route)
    {
        if (Group is { } group)
        {
            return route.InGroup(group);
        }

        var colon = Tag!.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && route.HasTag(Tag[..colon], Tag[(colon + 1)..]);
    }

    /// <summary>The statistic limited.</summary>
    public BudgetMetric Metric { get; }

    /// <summary>The limit: milliseconds for latency and CPU, a ratio for the error rate, requests per second for throughput, bytes, operations or collections for the other costs.</summary>
    public double Limit { get; }

    /// <summary>
    /// The route (scenario step) the budget applies to; <see langword="null"/> for all routes together. A cost per
    /// request is measured per scenario: it can name a route only when that route is its scenario's only step.
    /// </summary>
    public string? Route { get; }

    /// <summary>Whether the library applied this budget because the test stated none of its kind (<see cref="DefaultErrorRate"/>).</summary>
    public bool IsDefault { get; }

    /// <summary>Whether the limit is a minimum (throughput) rather than a maximum.</summary>
    public bool IsLowerLimit => Metric == BudgetMetric.MinThroughput;

    /// <summary>Median latency at most <paramref name="milliseconds"/>.</summary>
    public static Budget P50(double milliseconds, string? route = null) => new(BudgetMetric.P50, milliseconds, route);

    /// <summary>90th-percentile latency at most <paramref name="milliseconds"/>.</summary>
    public static Budget P90(double milliseconds, string? route = null) => new(BudgetMetric.P90, milliseconds, route);

    /// <summary>95th-percentile latency at most <paramref name="milliseconds"/>.</summary>
    public static Budget P95(double milliseconds, string? route = null) => new(BudgetMetric.P95, milliseconds, route);

    /// <summary>99th-percentile latency at most <paramref name="milliseconds"/>.</summary>
    public static Budget P99(double milliseconds, string? route = null) => new(BudgetMetric.P99, milliseconds, route);

    /// <summary>Largest latency at most <paramref name="milliseconds"/>.</summary>
    public static Budget Max(double milliseconds, string? route = null) => new(BudgetMetric.Max, milliseconds, route);

    /// <summary>Error rate at most <paramref name="ratio"/> (0.01 = 1%).</summary>
    public static Budget ErrorRate(double ratio, string? route = null) => new(BudgetMetric.ErrorRate, ratio, route);

    /// <summary>CPU time of this process per request at most <paramref name="milliseconds"/>.</summary>
    public static Budget CpuPerRequest(double milliseconds, string? route = null) => new(BudgetMetric.CpuPerRequest, milliseconds, route);

    /// <summary>Bytes allocated by this process per request at most <paramref name="bytes"/>.</summary>
    public static Budget AllocatedPerRequest(double bytes, string? route = null) => new(BudgetMetric.AllocatedPerRequest, bytes, route);

    /// <summary>Database operations per request at most <paramref name="operations"/> (e.g. 1 for a route that must stay one query).</summary>
    public static Budget DatabaseOperationsPerRequest(double operations, string? route = null) => new(BudgetMetric.DatabaseOperationsPerRequest, operations, route);

    /// <summary>Generation-0 collections per 1,000 requests at most <paramref name="collections"/>.</summary>
    public static Budget Gen0Per1000Requests(double collections, string? route = null) => new(BudgetMetric.Gen0Per1000Requests, collections, route);

    /// <summary>Response body bytes per request at most <paramref name="bytes"/>: measured per route, as the client received them.</summary>
    public static Budget ResponseBytesPerRequest(double bytes, string? route = null) => new(BudgetMetric.ResponseBytesPerRequest, bytes, route);

    /// <summary>Managed heap growth per 1,000 requests at most <paramref name="bytes"/> (a leak grows with the traffic; see <see cref="MemoryUsage"/>).</summary>
    public static Budget HeapGrowthPer1000Requests(double bytes, string? route = null) => new(BudgetMetric.HeapGrowthPer1000Requests, bytes, route);

    /// <summary>Managed heap after a full collection at the end of the run at most <paramref name="bytes"/>.</summary>
    public static Budget HeapAfterRun(double bytes, string? route = null) => new(BudgetMetric.HeapAfterRun, bytes, route);

    /// <summary>The process's working set at most <paramref name="bytes"/> throughout the run.</summary>
    public static Budget WorkingSetPeak(double bytes, string? route = null) => new(BudgetMetric.WorkingSetPeak, bytes, route);

    /// <summary>Whether this budget limits a cost per request or the run's memory, measured per scenario run rather than per route.</summary>
    public bool IsCost => IsMemory || Metric is BudgetMetric.CpuPerRequest or BudgetMetric.AllocatedPerRequest or BudgetMetric.DatabaseOperationsPerRequest or BudgetMetric.Gen0Per1000Requests;

    /// <summary>Whether this budget limits memory, which the run measures only when asked (a memory budget on the test, or <see cref="LoadOptions.MeasureMemory"/>).</summary>
    public bool IsMemory => Metric is BudgetMetric.HeapGrowthPer1000Requests or BudgetMetric.HeapAfterRun or BudgetMetric.WorkingSetPeak;

    /// <summary>The error-rate budget applied to a test that states none: <see cref="DefaultErrorRate"/> over all routes.</summary>
    internal static Budget DefaultErrorRateBudget() => new(BudgetMetric.ErrorRate, DefaultErrorRate, route: null, isDefault: true);

    /// <summary>Throughput at least <paramref name="perSecond"/> completed requests per second.</summary>
    public static Budget MinThroughput(double perSecond, string? route = null) => new(BudgetMetric.MinThroughput, perSecond, route);

    /// <summary>The metric's short name, e.g. <c>p95</c>.</summary>
    public string MetricName => Metric switch
    {
        BudgetMetric.P50 => "p50",
        BudgetMetric.P90 => "p90",
        BudgetMetric.P95 => "p95",
        BudgetMetric.P99 => "p99",
        BudgetMetric.Max => "max",
        BudgetMetric.ErrorRate => IsDefault ? "error rate (default)" : "error rate",
        BudgetMetric.CpuPerRequest => "cpu/request",
        BudgetMetric.AllocatedPerRequest => "allocated/request",
        BudgetMetric.DatabaseOperationsPerRequest => "db operations/request",
        BudgetMetric.Gen0Per1000Requests => "gen0/1,000 requests",
        BudgetMetric.ResponseBytesPerRequest => "response bytes/request",
        BudgetMetric.HeapGrowthPer1000Requests => "heap growth/1,000 requests",
        BudgetMetric.HeapAfterRun => "heap after run",
        BudgetMetric.WorkingSetPeak => "working set peak",
        _ => "throughput",
    };

    /// <summary>The limit as text, e.g. <c>&lt;= 500 ms</c>, <c>&lt;= 1%</c>, <c>&gt;= 100/s</c>.</summary>
    public string LimitText => (IsLowerLimit ? ">= " : "<= ") + FormatValue(Limit);

    /// <summary>Formats a measured value of this budget's metric.</summary>
    public string FormatValue(double value) => Metric switch
    {
        BudgetMetric.ErrorRate => Formatting.Percent(value),
        BudgetMetric.MinThroughput => Formatting.Rate(value),
        BudgetMetric.CpuPerRequest => Formatting.Number(value, "#,0.###") + " ms",
        BudgetMetric.AllocatedPerRequest or BudgetMetric.ResponseBytesPerRequest or BudgetMetric.HeapGrowthPer1000Requests or BudgetMetric.HeapAfterRun or BudgetMetric.WorkingSetPeak => Formatting.Bytes(value),
        BudgetMetric.DatabaseOperationsPerRequest or BudgetMetric.Gen0Per1000Requests => Formatting.Number(value, "#,0.##"),
        _ => Formatting.Milliseconds(value),
    };

    /// <summary>Every problem with this budget; empty when valid.</summary>
    internal IEnumerable<string> Validate()
    {
        var where = Route is null ? string.Empty : $" on route '{Route}'";
        foreach (var problem in ValidateScope())
        {
            yield return problem;
        }

        var text = Problems.Format(Limit);
        if (Route is not null && string.IsNullOrWhiteSpace(Route))
        {
            yield return $"The {MetricName} budget names an empty route. Give the step's name, or leave Route unset to budget all routes together.";
        }

        if (!double.IsFinite(Limit))
        {
            yield return $"The {MetricName} budget{where} is {text}; a budget must be a finite number. Give the limit you need, e.g. p95: 500 for 500 ms.";
            yield break;
        }

        switch (Metric)
        {
            case BudgetMetric.ErrorRate when Limit is < 0 or > 1:
                yield return $"The error-rate budget{where} is {text}; it is a ratio between 0 and 1 (0.01 = 1%).";
                break;
            case BudgetMetric.MinThroughput when Limit <= 0:
                yield return $"The throughput budget{where} is {text}/s; a minimum throughput must be greater than zero.";
                break;
            case BudgetMetric.P50 or BudgetMetric.P90 or BudgetMetric.P95 or BudgetMetric.P99 or BudgetMetric.Max when Limit <= 0:
                yield return $"The {MetricName} budget{where} is {text} ms; a latency budget must be greater than zero milliseconds, e.g. {MetricName}: 500.";
                break;
            case BudgetMetric.CpuPerRequest or BudgetMetric.AllocatedPerRequest when Limit <= 0:
                yield return $"The {MetricName} budget{where} is {text}; every request costs some CPU and allocates something, so the limit must be greater than zero (e.g. CpuMilliseconds = 2, AllocatedKilobytes = 64).";
                break;
            case BudgetMetric.HeapGrowthPer1000Requests or BudgetMetric.HeapAfterRun or BudgetMetric.WorkingSetPeak when Limit <= 0:
                yield return $"The {MetricName} budget{where} is {text}; a memory budget must be greater than zero bytes (e.g. [MemoryBudget(GrowthPer1000RequestsMegabytes = 100)]).";
                break;
            case BudgetMetric.DatabaseOperationsPerRequest or BudgetMetric.Gen0Per1000Requests or BudgetMetric.ResponseBytesPerRequest when Limit < 0:
                yield return $"The {MetricName} budget{where} is {text}; it must be 0 or more (0 means none at all).";
                break;
        }
    }

    private IEnumerable<string> ValidateScope()
    {
        var scopes = new[] { Route is null ? null : "Route", Tag is null ? null : "Tag", Group is null ? null : "Group" }.OfType<string>().ToArray();
        if (scopes.Length > 1)
        {
            yield return $"The {MetricName} budget{(Route is null ? string.Empty : $" on route '{Route}'")} is scoped to a {string.Join(" and a ", scopes.Select(s => s.ToLowerInvariant()))} at once; give one of Route, Tag or Group (or none for all routes together).";
        }

        if (Tag is { } tag)
        {
            var colon = tag.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == tag.Length - 1 || string.IsNullOrWhiteSpace(tag[..colon]) || string.IsNullOrWhiteSpace(tag[(colon + 1)..]))
            {
                yield return $"The {MetricName} budget is scoped to the tag '{tag}', which is not of the form key:value. Give the tag as the steps carry it, e.g. Tag = \"kind:payment\" or Tag = \"scenario:checkout\".";
            }
        }

        if (Group is { } group && string.IsNullOrWhiteSpace(group))
        {
            yield return $"The {MetricName} budget is scoped to an empty group. Give the group's name as in Scenario.Group(\"checkout\", ...).";
        }

        if (IsCost && IsLabelScoped)
        {
            yield return $"The {MetricName} budget is scoped to {Scope}, but a cost per request is measured per scenario run, not per route, so it cannot be split by tag or group. Leave Tag and Group unset (the scenario's run), or give the routes a scenario of their own.";
        }

        if (AbortOnFail && (IsCost || Metric == BudgetMetric.ResponseBytesPerRequest))
        {
            yield return $"The {MetricName} budget is abort-on-fail, but it is measured only when the run is over, so it cannot end a run early. Abort on a latency, error-rate or throughput budget, or turn AbortOnFail off.";
        }

        if (AbortOnFail && AbortDelay < TimeSpan.Zero)
        {
            yield return $"The {MetricName} budget's abort delay is {Formatting.Duration(AbortDelay)}; it must be zero or more (the measured time before the budget is first judged).";
        }
    }

    /// <summary>The cost per request of <paramref name="report"/>'s run this budget limits; <see langword="null"/> when the run did not measure it.</summary>
    internal double? MeasureCost(LoadReport report) => IsMemory ? MeasureMemory(report.Memory) : report.Resources is not { } cost ? null : Metric switch
    {
        BudgetMetric.CpuPerRequest => cost.CpuMillisecondsPerRequest,
        BudgetMetric.AllocatedPerRequest => cost.AllocatedBytesPerRequest,
        BudgetMetric.DatabaseOperationsPerRequest => cost.DatabaseOperationsPerRequest,
        BudgetMetric.Gen0Per1000Requests => cost.Gen0Per1000Requests,
        _ => null,
    };

    private double? MeasureMemory(MemoryUsage? memory) => memory is null ? null : Metric switch
    {
        BudgetMetric.HeapGrowthPer1000Requests => memory.GrowthPer1000Requests,
        BudgetMetric.HeapAfterRun => memory.HeapAfterBytes,
        _ => memory.WorkingSetPeakBytes,
    };

    /// <summary>The requests the measured value is computed from: the successful ones for a latency, all of them for an error rate or a throughput.</summary>
    internal long Samples(RouteStatistics route) => Metric is BudgetMetric.ErrorRate or BudgetMetric.MinThroughput or BudgetMetric.ResponseBytesPerRequest ? route.Count : route.Successes;

    /// <summary>The measured value of this budget's metric on <paramref name="route"/>; <see langword="null"/> when the route cannot measure it (response bytes of a code step).</summary>
    internal double? Measure(RouteStatistics route) => Metric switch
    {
        BudgetMetric.ResponseBytesPerRequest => route.ResponseBytesPerRequest,
        BudgetMetric.P50 => route.Latency.P50,
        BudgetMetric.P90 => route.Latency.P90,
        BudgetMetric.P95 => route.Latency.P95,
        BudgetMetric.P99 => route.Latency.P99,
        BudgetMetric.Max => route.Latency.Max,
        BudgetMetric.ErrorRate => route.ErrorRate,
        _ => route.Throughput,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Scope}: {MetricName} {LimitText}{(AbortOnFail ? " (abort on fail)" : string.Empty)}";
}
