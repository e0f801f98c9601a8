namespace PerfRegression;

/// <summary>Pass/fail counts of one check.</summary>
/// <param name="Name">The check's name.</param>
/// <param name="Passes">How often it passed.</param>
/// <param name="Failures">How often it failed.</param>
public sealed record CheckStatistics(string Name, long Passes, long Failures)
{
    /// <summary>Passes over all evaluations; NaN when never evaluated.</summary>
    public double PassRate => Passes + Failures == 0 ? double.NaN : (double)Passes / (Passes + Failures);
}

/// <summary>Statistics of one route (scenario step), or of all routes together.</summary>
public sealed class RouteStatistics
{
    internal RouteStatistics(
        string name,
        LatencyDistribution latency,
        LatencyDistribution? serviceTime,
        long errors,
        IReadOnlyDictionary<string, long> errorsByKind,
        IReadOnlyList<CheckStatistics> checks,
        TimeSpan duration,
        LatencyDistribution? failedLatency = null)
    {
        Name = name;
        Latency = latency;
        FailedLatency = failedLatency ?? LatencyDistribution.Empty;
        ServiceTime = serviceTime;
        Errors = errors;
        ErrorsByKind = new SortedDictionary<string, long>(errorsByKind.ToDictionary(), StringComparer.Ordinal);
        Checks = checks;
        Duration = duration;
    }

    /// <summary>The name used in the report and in budgets that name a route.</summary>
    public string Name { get; }

    /// <summary>Requests (step executions) completed, successful or failed.</summary>
    public long Count => Latency.Count + FailedLatency.Count;

    /// <summary>Requests that succeeded: the ones <see cref="Latency"/> is made of.</summary>
    public long Successes => Latency.Count;

    /// <summary>Requests that failed: HTTP status 400 or higher, a failed check, a timeout or an exception.</summary>
    public long Errors { get; }

    /// <summary>Errors over requests; 0 when nothing was recorded.</summary>
    public double ErrorRate => Count == 0 ? 0 : (double)Errors / Count;

    /// <summary>Errors by kind, e.g. <c>HTTP 500</c>, <c>timeout</c>, <c>check 'has results'</c>, <c>exception HttpRequestException</c>.</summary>
    public IReadOnlyDictionary<string, long> ErrorsByKind { get; }

    /// <summary>
    /// Latency of the successful requests, as users see it; in the open model measured from each iteration's intended
    /// start. Failed requests are left out (a refused connection answers in microseconds): their latency is
    /// <see cref="FailedLatency"/>, and they count in <see cref="Errors"/>.
    /// </summary>
    public LatencyDistribution Latency { get; }

    /// <summary>Latency of the failed requests, reported apart; empty when none failed.</summary>
    public LatencyDistribution FailedLatency { get; }

    /// <summary>Open model only: time from the actual start, without waiting for a free slot; <see langword="null"/> in the closed model, where it equals <see cref="Latency"/>.</summary>
    public LatencyDistribution? ServiceTime { get; }

    /// <summary>The check results of this route.</summary>
    public IReadOnlyList<CheckStatistics> Checks { get; }

    /// <summary>The measured duration the throughput is computed over.</summary>
    public TimeSpan Duration { get; }

    /// <summary>
    /// Bytes of the response bodies this route received, successful and failed requests alike (the body as the client
    /// read it, after any decompression; headers not included); <see langword="null"/> for a code step, which has no
    /// response the runner sees.
    /// </summary>
    public long? ResponseBytes { get; init; }

    /// <summary>Response body bytes per request; <see langword="null"/> for a code step or when nothing completed.</summary>
    public double? ResponseBytesPerRequest => ResponseBytes is { } bytes && Count > 0 ? (double)bytes / Count : null;

    /// <summary>The group of steps the route belongs to (<see cref="Scenario.Group"/>), nested groups joined by <c>::</c>; <see langword="null"/> outside any group.</summary>
    public string? Group { get; internal set; }

    /// <summary>
    /// The route's tags (<see cref="Scenario.Tagged"/>, <see cref="Scenario.WithTag"/>), with the implicit
    /// <c>scenario</c> tag naming its scenario; empty for all routes together and for reports read from older JSON.
    /// </summary>
    public IReadOnlyDictionary<string, string> Tags { get; internal set; } = EmptyTags;

    private static readonly SortedDictionary<string, string> EmptyTags = new(StringComparer.Ordinal);

    /// <summary>Whether the route carries the tag <paramref name="key"/> with <paramref name="value"/>.</summary>
    public bool HasTag(string key, string value) => Tags.TryGetValue(key, out var found) && string.Equals(found, value, StringComparison.Ordinal);

    /// <summary>Whether the route is a step of group <paramref name="group"/>, directly or in a group nested in it.</summary>
    public bool InGroup(string group) => Group is { } own && (string.Equals(own, group, StringComparison.Ordinal) || own.StartsWith(group + "::", StringComparison.Ordinal));

    /// <summary>Completed requests per second over the measured duration.</summary>
    public double Throughput => Duration > TimeSpan.Zero ? Count / Duration.TotalSeconds : 0;

    internal static RouteStatistics Combine(string name, IReadOnlyList<RouteStatistics> parts, TimeSpan duration)
    {
        var errors = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (kind, count) in part.ErrorsByKind)
            {
                errors[kind] = errors.GetValueOrDefault(kind) + count;
            }
        }

        var checks = parts.SelectMany(p => p.Checks)
            .GroupBy(c => c.Name, StringComparer.Ordinal)
            .Select(g => new CheckStatistics(g.Key, g.Sum(c => c.Passes), g.Sum(c => c.Failures)))
            .ToArray();
        var service = parts.All(p => p.ServiceTime is not null) && parts.Count > 0
            ? LatencyDistribution.Merge(parts.Select(p => p.ServiceTime!))
            : null;
        var responses = parts.Where(p => p.ResponseBytes is not null).ToArray();
        var sameRoute = parts.Count > 0 && parts.All(p => string.Equals(p.Name, name, StringComparison.Ordinal));
        return new RouteStatistics(name, LatencyDistribution.Merge(parts.Select(p => p.Latency)), service, parts.Sum(p => p.Errors), errors, checks, duration, LatencyDistribution.Merge(parts.Select(p => p.FailedLatency)))
        {
            ResponseBytes = responses.Length == 0 ? null : responses.Sum(p => p.ResponseBytes!.Value),
            // Trials of one route keep its labels; a combination of several routes has none of its own.
            Group = sameRoute ? parts[0].Group : null,
            Tags = sameRoute ? parts[0].Tags : EmptyTags,
        };
    }
}
