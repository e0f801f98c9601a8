namespace PerfRegression;

/// <summary>
/// The immutable result of one load run (or of several merged): per-route statistics, the overall
/// figures, custom metrics, the health of the generating process, and warnings. Serialises to JSON
/// with the encoded histograms, so reports from several runs or machines can be merged exactly.
/// </summary>
public sealed class LoadReport
{
    /// <summary>The name of the combined statistics of all routes.</summary>
    public const string AllRoutes = "(all routes)";

    internal LoadReport(
        string scenario,
        string target,
        string loadProfile,
        bool openModel,
        int maxConcurrency,
        DateTimeOffset startedAt,
        TimeSpan duration,
        long iterations,
        long droppedIterations,
        long delayedStarts,
        long interruptedIterations,
        IReadOnlyList<RouteStatistics> routes,
        IReadOnlyList<CustomMetricSummary> metrics,
        RuntimeHealth? runtime,
        IReadOnlyList<string> warnings,
        int runs = 1)
    {
        Scenario = scenario;
        Target = target;
        LoadProfile = loadProfile;
        OpenModel = openModel;
        MaxConcurrency = maxConcurrency;
        StartedAt = startedAt;
        Duration = duration;
        Iterations = iterations;
        DroppedIterations = droppedIterations;
        DelayedStarts = delayedStarts;
        InterruptedIterations = interruptedIterations;
        Routes = routes;
        Metrics = metrics;
        Runtime = runtime;
        Warnings = warnings;
        Runs = runs;
        Overall = RouteStatistics.Combine(AllRoutes, routes, duration);
    }

    /// <summary>The scenario's name.</summary>
    public string Scenario { get; }

    /// <summary>What the load was sent to, e.g. <c>in-memory TestServer</c>.</summary>
    public string Target { get; }

    /// <summary>The description of the load profile the run followed, e.g. <c>closed: 100 users for 10 s</c>.</summary>
    public string LoadProfile { get; }

    /// <summary>Whether the load followed an open model (latency from intended start).</summary>
    public bool OpenModel { get; }

    /// <summary>The most iterations that could be in flight at once.</summary>
    public int MaxConcurrency { get; }

    /// <summary>When the measured phase started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The wall time of the measured phase (summed over merged runs).</summary>
    public TimeSpan Duration { get; }

    /// <summary>Iterations completed or failed (not interrupted).</summary>
    public long Iterations { get; }

    /// <summary>Open model: iterations scheduled before the end that never started because every slot stayed busy (k6's <c>dropped_iterations</c>).</summary>
    public long DroppedIterations { get; }

    /// <summary>Open model: iterations that started later than <see cref="LoadOptions.LateStartTolerance"/> after their intended time; their latency includes the delay.</summary>
    public long DelayedStarts { get; }

    /// <summary>Iterations cancelled because the run's graceful stop ran out.</summary>
    public long InterruptedIterations { get; }

    /// <summary>Per-route statistics, in scenario order.</summary>
    public IReadOnlyList<RouteStatistics> Routes { get; }

    /// <summary>All routes together.</summary>
    public RouteStatistics Overall { get; }

    /// <summary>Custom metrics recorded by steps, by name.</summary>
    public IReadOnlyList<CustomMetricSummary> Metrics { get; }

    /// <summary>The health of the generating process during the run; <see langword="null"/> when not sampled.</summary>
    public RuntimeHealth? Runtime { get; }

    /// <summary>
    /// What the run's requests cost per request (CPU time, allocations, collections, server CPU time); <see langword="null"/>
    /// when the runtime was not sampled or nothing was recorded. See <see cref="ResourceUsage"/> for what each includes.
    /// </summary>
    public ResourceUsage? Resources => Runtime is { CpuTime: { } cpu } runtime && Overall.Count > 0
        ? new ResourceUsage(Overall.Count, runtime.TieringCpuTime is { } tiering && tiering < cpu ? cpu - tiering : cpu, runtime.AllocatedBytes, runtime.Gen0Collections, runtime.Gen1Collections, runtime.Gen2Collections, runtime.ServerCpuTime)
        {
            DatabaseOperations = runtime.DatabaseOperations,
            DatabaseTime = runtime.DatabaseTime,
            RunQueueWait = runtime.RunQueueWait,
            TieringCpuTime = runtime.TieringCpuTime,
            ResponseBytes = Overall.ResponseBytes,
        }
        : null;

    /// <summary>
    /// Why the run was ended before its planned end: an abort-on-fail budget broken while it ran (in a mix, by any
    /// part: the whole mix stops); <see langword="null"/> when it ran to the end.
    /// </summary>
    public LoadAbort? Aborted { get; init; }

    /// <summary>
    /// The other scenarios this one ran together with (<c>Load.RunMixAsync</c>); empty for a run of its own. In a mix,
    /// the process's CPU time, allocations, collections and database operations are the whole mix's: they are not
    /// attributed to one scenario's requests.
    /// </summary>
    public IReadOnlyList<string> RanWith { get; init; } = [];

    /// <summary>
    /// The run over time, interval by interval (see <see cref="PerfRegression.Timeline"/>); <see langword="null"/> for a
    /// report of several runs merged, or a run on an injected clock.
    /// </summary>
    public Timeline? Timeline { get; init; }

    /// <summary>
    /// What the run did to this process's memory (heap after full collections before and after, its growth, the
    /// working set's peak); <see langword="null"/> unless measured (<see cref="LoadOptions.MeasureMemory"/>, or a memory
    /// budget on the test). A merge of trials keeps it when every trial measured it.
    /// </summary>
    public MemoryUsage? Memory { get; init; }

    /// <summary>
    /// A soak's samples of what a leak grows (heap after a full collection, handles, threads, database connections),
    /// every <see cref="LoadOptions.LeakSampleInterval"/>; <see langword="null"/> unless sampled. A merge of trials keeps
    /// them back to back, each trial's offset by the durations before it.
    /// </summary>
    public IReadOnlyList<ResourceSample>? ResourceSamples { get; init; }

    /// <summary>Conditions that may corrupt the measurement, each saying what to do.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>How many runs this report combines.</summary>
    public int Runs { get; }

    /// <summary>Whether anything was measured at all.</summary>
    public bool RecordedLoad => Overall.Count > 0;

    /// <summary>
    /// How long latency took to come back after a disturbance (a spike of load) that ran from <paramref name="start"/> to
    /// <paramref name="end"/>, read from the run's <see cref="Timeline"/>: the time from <paramref name="end"/> to the
    /// first interval from which every later interval's p95 (the slowest route's) stays within
    /// <paramref name="tolerance"/> of its level before the disturbance (the median of the intervals before
    /// <paramref name="start"/>). Zero when it never left that band after <paramref name="end"/>.
    /// </summary>
    /// <returns>The recovery time; <see langword="null"/> when it did not recover before the run ended, or the timeline
    /// has no interval before <paramref name="start"/> or after <paramref name="end"/> to read.</returns>
    public TimeSpan? RecoveryAfter(TimeSpan start, TimeSpan end, double tolerance = LoadRecovery.DefaultTolerance)
        => LoadRecovery.Read(Timeline, start, end, tolerance) is { ReferenceIsBefore: true, RecoverySeconds: { } seconds } ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>
    /// How latency recovered after the disturbance of the run's load profile (<see cref="LoadProfile.Spike"/>,
    /// <see cref="LoadProfile.FlashCrowd"/>), read from the timeline when the run ended; for several trials, the
    /// worst. <see langword="null"/> for a profile without a disturbance.
    /// </summary>
    public LoadRecovery? Recovery { get; init; }

    /// <summary>The statistics of route <paramref name="name"/>, or of all routes for <see cref="AllRoutes"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such route was recorded; the message lists the recorded ones.</exception>
    public RouteStatistics Route(string name)
    {
        if (TryGetRoute(name, out var route))
        {
            return route;
        }

        throw new KeyNotFoundException($"Scenario '{Scenario}' recorded no route named '{name}'. Recorded routes: {RouteList()}. Use one of these names (they are the scenario's step names).");
    }

    /// <summary>Finds route <paramref name="name"/> (or <see cref="AllRoutes"/>).</summary>
    public bool TryGetRoute(string name, out RouteStatistics route)
    {
        if (name == AllRoutes)
        {
            route = Overall;
            return true;
        }

        route = Routes.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal))!;
        return route is not null;
    }

    internal string RouteList() => Routes.Count == 0 ? "(none)" : string.Join(", ", Routes.Select(r => $"'{r.Name}'"));

    /// <summary>The report as indented JSON, invariant and with stable key order, including the encoded histograms.</summary>
    public string ToJson() => LoadReportJson.Serialize(this);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The JSON is not a report of a known schema version; the message says what is wrong.</exception>
    public static LoadReport FromJson(string json) => LoadReportJson.Deserialize(json);

    /// <summary>The compact, k6-like summary table written to the test output after every run.</summary>
    public string ToSummary() => SummaryTable.Render(this);

    /// <inheritdoc />
    public override string ToString() => ToSummary();

    /// <summary>
    /// Merges reports of the same scenario exactly: histograms are added, counts summed. Durations add
    /// up, so throughput is the combined count over the combined time (the average of sequential runs);
    /// for simultaneous runs on several machines add their throughputs instead.
    /// </summary>
    /// <exception cref="ArgumentException">The reports are of different scenarios, or none were given.</exception>
    public static LoadReport Merge(params IReadOnlyList<LoadReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            throw new ArgumentException("Merge needs at least one report.", nameof(reports));
        }

        var scenarios = reports.Select(r => r.Scenario).Distinct(StringComparer.Ordinal).ToArray();
        if (scenarios.Length > 1)
        {
            throw new ArgumentException($"Only reports of one scenario can be merged, but these are of {string.Join(", ", scenarios.Select(s => $"'{s}'"))}. Merge each scenario's reports separately.", nameof(reports));
        }

        var duration = reports.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration);
        var routeNames = reports.SelectMany(r => r.Routes.Select(x => x.Name)).Distinct(StringComparer.Ordinal).ToArray();
        var routes = routeNames
            .Select(name => RouteStatistics.Combine(name, reports.Where(r => r.TryGetRoute(name, out _)).Select(r => r.Route(name)).ToArray(), duration))
            .ToArray();
        var metrics = reports.SelectMany(r => r.Metrics)
            .GroupBy(m => (m.Name, m.Kind))
            .Select(g => new CustomMetricSummary(
                g.Key.Name,
                g.Key.Kind,
                g.Key.Kind == CustomMetricKind.Trend ? LatencyDistribution.Merge(g.Select(m => m.Trend!)) : null,
                g.Sum(m => m.Trues),
                g.Sum(m => m.Total),
                g.Sum(m => m.Sum),
                duration))
            .ToArray();
        var first = reports[0];
        var runtime = RuntimeHealth.Combine(reports.Select(r => r.Runtime).ToArray());
        var runWarnings = reports.SelectMany(r => r.Warnings.Except(r.Runtime?.Warnings() ?? [], StringComparer.Ordinal));
        var warnings = runWarnings.Concat(runtime?.Warnings() ?? []).Distinct(StringComparer.Ordinal).ToArray();
        return new LoadReport(
            first.Scenario,
            string.Join(" + ", reports.Select(r => r.Target).Distinct(StringComparer.Ordinal)),
            string.Join(" + ", reports.Select(r => r.LoadProfile).Distinct(StringComparer.Ordinal)),
            first.OpenModel,
            reports.Max(r => r.MaxConcurrency),
            reports.Min(r => r.StartedAt),
            duration,
            reports.Sum(r => r.Iterations),
            reports.Sum(r => r.DroppedIterations),
            reports.Sum(r => r.DelayedStarts),
            reports.Sum(r => r.InterruptedIterations),
            routes,
            metrics,
            runtime,
            warnings,
            reports.Sum(r => r.Runs))
        {
            Memory = MemoryUsage.Combine(reports.Select(r => r.Memory).ToArray()),
            ResourceSamples = BackToBack(reports),
            Recovery = LoadRecovery.Worst(reports.Select(r => r.Recovery).ToArray()),
            Aborted = reports.Select(r => r.Aborted).FirstOrDefault(a => a is not null),
            RanWith = reports.SelectMany(r => r.RanWith).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }

    private static ResourceSample[]? BackToBack(IReadOnlyList<LoadReport> reports)
    {
        if (reports.All(r => r.ResourceSamples is null))
        {
            return null;
        }

        var samples = new List<ResourceSample>();
        var offset = 0.0;
        var requests = 0L;
        foreach (var report in reports)
        {
            samples.AddRange((report.ResourceSamples ?? []).Select(s => s with { Seconds = s.Seconds + offset, Requests = s.Requests + requests }));
            // The last sample is taken after the phase ends: the next trial starts after it, so time keeps increasing.
            offset = Math.Max(offset + report.Duration.TotalSeconds, samples.Count > 0 ? samples[^1].Seconds + 0.001 : 0);
            requests += report.Overall.Count;
        }

        return samples.ToArray();
    }
}
