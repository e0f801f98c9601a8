namespace PerfRegression;

/// <summary>
/// What the requests of a run cost, per request: CPU time, bytes allocated and garbage collections of this process,
/// and CPU time of the system's own server processes (e.g. the PostgreSQL cluster a fixture started). Unlike latency,
/// these barely move when other programs share the machine, and a code change that makes a route slower almost always
/// moves them.
/// </summary>
/// <remarks>
/// They are the whole process's figures divided by the requests completed (successful and failed) in the measured
/// phase. With an in-memory target the process holds both the app and the load generator, so they include the
/// generator's own share (building requests, reading responses, recording), which is the same for every run of the
/// same scenario; with a target in another process they are the generator's alone. A scenario of one step gives that
/// route's cost; with several steps, it is the average over the scenario's requests. CPU time is the process's exact
/// CPU time (Environment.CpuUsage) less the CPU time of the runtime's tiered-compilation thread (Linux); allocated bytes are exact (GC.GetTotalAllocatedBytes, precise); server CPU time
/// is read from /proc in 10 ms clock ticks, Linux only. Database operations are counted from the database client's
/// OpenTelemetry instrument (exact, process-wide); run-queue wait from the kernel's scheduler statistics (Linux only).
/// </remarks>
/// <param name="Requests">Requests completed in the measured phase (successful and failed).</param>
/// <param name="CpuTime">CPU time this process used in the measured phase, less the CPU time of the runtime's tiered-compilation thread (<see cref="TieringCpuTime"/>).</param>
/// <param name="AllocatedBytes">Bytes this process allocated in the measured phase.</param>
/// <param name="Gen0Collections">Generation-0 collections in the measured phase.</param>
/// <param name="Gen1Collections">Generation-1 collections in the measured phase.</param>
/// <param name="Gen2Collections">Generation-2 collections in the measured phase.</param>
/// <param name="ServerCpuTime">CPU time of the system's own server processes; <see langword="null"/> when none is registered.</param>
public sealed record ResourceUsage(long Requests, TimeSpan CpuTime, long AllocatedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections, TimeSpan? ServerCpuTime)
{
    /// <summary>Milliseconds of this process's CPU time per request.</summary>
    public double CpuMillisecondsPerRequest => CpuTime.TotalMilliseconds / Math.Max(Requests, 1);

    /// <summary>Bytes allocated by this process per request.</summary>
    public double AllocatedBytesPerRequest => (double)AllocatedBytes / Math.Max(Requests, 1);

    /// <summary>Generation-0 collections per 1,000 requests.</summary>
    public double Gen0Per1000Requests => Gen0Collections * 1000.0 / Math.Max(Requests, 1);

    /// <summary>Generation-1 collections per 1,000 requests.</summary>
    public double Gen1Per1000Requests => Gen1Collections * 1000.0 / Math.Max(Requests, 1);

    /// <summary>Generation-2 collections per 1,000 requests.</summary>
    public double Gen2Per1000Requests => Gen2Collections * 1000.0 / Math.Max(Requests, 1);

    /// <summary>Milliseconds of the server processes' CPU time per request; <see langword="null"/> when there are none.</summary>
    public double? ServerCpuMillisecondsPerRequest => ServerCpuTime is { } server ? server.TotalMilliseconds / Math.Max(Requests, 1) : null;

    /// <summary>Database operations this process completed; <see langword="null"/> when no database client reported any instrument.</summary>
    public long? DatabaseOperations { get; init; }

    /// <summary>Time of those database operations, summed; <see langword="null"/> with <see cref="DatabaseOperations"/>.</summary>
    public TimeSpan? DatabaseTime { get; init; }

    /// <summary>Time this process's threads waited, runnable, for a core (Linux only); <see langword="null"/> where unknown.</summary>
    /// <remarks>Listed with the costs to judge a disturbed run by, not a cost of the code.</remarks>
    public TimeSpan? RunQueueWait { get; init; }

    /// <summary>
    /// Bytes of the response bodies received (see <see cref="RouteStatistics.ResponseBytes"/>); <see langword="null"/>
    /// when the scenario has only code steps.
    /// </summary>
    public long? ResponseBytes { get; init; }

    /// <summary>Response body bytes per request; <see langword="null"/> when the scenario has only code steps.</summary>
    /// <remarks>Requests of code steps count in the divisor, as they do for the other costs.</remarks>
    public double? ResponseBytesPerRequest => ResponseBytes is { } bytes ? (double)bytes / Math.Max(Requests, 1) : null;

    /// <summary>Database operations per request; <see langword="null"/> when not counted.</summary>
    public double? DatabaseOperationsPerRequest => DatabaseOperations is { } operations ? (double)operations / Math.Max(Requests, 1) : null;

    /// <summary>Milliseconds of database time per request; <see langword="null"/> when not counted.</summary>
    public double? DatabaseMillisecondsPerRequest => DatabaseTime is { } time ? time.TotalMilliseconds / Math.Max(Requests, 1) : null;

    /// <summary>Milliseconds this process's threads waited for a core, per request; <see langword="null"/> where unknown.</summary>
    public double? RunQueueMillisecondsPerRequest => RunQueueWait is { } wait ? wait.TotalMilliseconds / Math.Max(Requests, 1) : null;

    /// <summary>
    /// CPU time of the runtime's tiered-compilation thread in the measured phase, left out of <see cref="CpuTime"/>:
    /// tiered compilation goes on for seconds after start-up, and how much of it lands in a run varies between
    /// processes, not with the code's cost. <see langword="null"/> where unknown (not Linux).
    /// </summary>
    public TimeSpan? TieringCpuTime { get; init; }
}
