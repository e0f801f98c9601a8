namespace PerfRegression;

/// <summary>
/// A run over time: one row per interval of the measured phase (1 s by default, <see cref="LoadOptions.TimelineInterval"/>),
/// with each route's requests, errors and latency percentiles in that interval (from interval histograms, so a
/// stall shows in the second it happened), the load offered, and this process's health. Long runs get longer
/// intervals, so a timeline never holds more than <see cref="MaxIntervals"/> rows.
/// </summary>
/// <param name="IntervalSeconds">The length of each interval in seconds; the last may be shorter.</param>
/// <param name="Intervals">The intervals, in order.</param>
public sealed record Timeline(double IntervalSeconds, IReadOnlyList<TimelineInterval> Intervals)
{
    /// <summary>The most rows a timeline holds: an hour of 1 s intervals; a longer run widens its intervals.</summary>
    public const int MaxIntervals = 3600;
}

/// <summary>One interval of a <see cref="Timeline"/>.</summary>
/// <param name="StartSeconds">When the interval began, in seconds from the start of the measured phase.</param>
/// <param name="Seconds">How long it lasted (the last one ends with the run).</param>
/// <param name="Users">Closed model: the users the profile had active in the middle of the interval; <see langword="null"/> for the open model.</param>
/// <param name="Iterations">Iterations started in the interval (the arrival rate, times <paramref name="Seconds"/>, in the open model).</param>
/// <param name="Requests">Step executions completed in the interval, successful or not.</param>
/// <param name="Errors">Of those, the failed ones.</param>
/// <param name="ProcessCpu">This process's CPU time in the interval as a share of the machine's cores (0 to 1); <see langword="null"/> when not measured.</param>
/// <param name="Gen0Collections">Generation-0 collections in the interval.</param>
/// <param name="Gen1Collections">Generation-1 collections in the interval.</param>
/// <param name="Gen2Collections">Generation-2 collections in the interval.</param>
/// <param name="ThreadPoolQueue">Work items waiting for a thread-pool thread at the interval's end.</param>
/// <param name="ThreadPoolThreads">Thread-pool threads at the interval's end.</param>
/// <param name="DatabaseOperations">Database operations this process's clients reported in the interval; <see langword="null"/> when none reports them.</param>
/// <param name="Routes">Each route that completed a request in the interval, in scenario order.</param>
public sealed record TimelineInterval(
    double StartSeconds,
    double Seconds,
    double? Users,
    long Iterations,
    long Requests,
    long Errors,
    double? ProcessCpu,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long ThreadPoolQueue,
    int ThreadPoolThreads,
    long? DatabaseOperations,
    IReadOnlyList<TimelineRoute> Routes);

/// <summary>One route in one interval of a <see cref="Timeline"/>; latencies in milliseconds, of the successful requests.</summary>
/// <param name="Name">The route (the step's name).</param>
/// <param name="Requests">Requests completed in the interval, successful or not.</param>
/// <param name="Errors">Of those, the failed ones.</param>
/// <param name="P50">Median latency of the interval's successful requests (within 3.1%: the upper end of its bucket); 0 when none succeeded.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">The slowest.</param>
public sealed record TimelineRoute(string Name, long Requests, long Errors, double P50, double P95, double P99, double Max);
