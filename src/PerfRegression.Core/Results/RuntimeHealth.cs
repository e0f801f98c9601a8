using PerfRegression.Text;

namespace PerfRegression;

/// <summary>A period in which no step completed although load was running.</summary>
/// <param name="Offset">When it began, from the start of the measured phase.</param>
/// <param name="Duration">How long nothing completed (at the sampling resolution).</param>
public readonly record struct Stall(TimeSpan Offset, TimeSpan Duration);

/// <summary>
/// The health of the process that generated the load, sampled during the measured phase. With an
/// in-memory target the server shares this process, so these figures describe both.
/// </summary>
/// <param name="Samples">How many samples were taken.</param>
/// <param name="CpuCores">Logical cores available to the process.</param>
/// <param name="CpuAverage">Average CPU use as a fraction of all cores (0..1).</param>
/// <param name="CpuMax">Highest CPU use in one sampling window, as a fraction of all cores.</param>
/// <param name="Gen0Collections">Generation-0 collections during the run.</param>
/// <param name="Gen1Collections">Generation-1 collections during the run.</param>
/// <param name="Gen2Collections">Generation-2 collections during the run.</param>
/// <param name="GcPause">Total time the runtime was paused for GC.</param>
/// <param name="AllocatedBytes">Bytes allocated by the process during the run (exact: the runtime's precise count).</param>
/// <param name="ThreadPoolQueueMax">Most work items queued for the thread pool at a sample.</param>
/// <param name="ThreadPoolQueueAverage">Average queued work items across samples.</param>
/// <param name="ThreadPoolThreadsAtStart">Thread-pool threads when measuring started.</param>
/// <param name="ThreadPoolThreadsMax">Most thread-pool threads at a sample.</param>
/// <param name="Stalls">Periods without any completed step while load was expected.</param>
/// <param name="MeasuredDuration">The wall time of the measured phase.</param>
/// <param name="OpenModel">Whether the load followed an open model.</param>
/// <param name="MachineCpuAverage">Average CPU use of the whole machine (all processes) as a fraction of all cores; <see langword="null"/> where unknown.</param>
/// <param name="ServerProcessesCpuAverage">
/// Average CPU use of the system under test's own processes outside this one (e.g. the PostgreSQL cluster a
/// fixture started), as a fraction of all cores; <see langword="null"/> when there are none or it is unknown.
/// </param>
public sealed record RuntimeHealth(
    int Samples,
    int CpuCores,
    double CpuAverage,
    double CpuMax,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    TimeSpan GcPause,
    long AllocatedBytes,
    long ThreadPoolQueueMax,
    double ThreadPoolQueueAverage,
    int ThreadPoolThreadsAtStart,
    int ThreadPoolThreadsMax,
    IReadOnlyList<Stall> Stalls,
    TimeSpan MeasuredDuration,
    bool OpenModel,
    double? MachineCpuAverage = null,
    double? ServerProcessesCpuAverage = null)
{
    /// <summary>CPU saturation: the average above this fraction of all cores is reported as a warning.</summary>
    public const double CpuSaturationThreshold = 0.9;

    /// <summary>Thread-pool starvation: an average queue at or above this length is reported as a warning.</summary>
    public const double ThreadPoolQueueThreshold = 16;

    /// <summary>Thread-pool starvation is reported only while average CPU use stays below this fraction of all cores.</summary>
    public const double StarvationCpuCeiling = 0.8;

    /// <summary>GC pauses above this fraction of the run are reported as a warning.</summary>
    public const double GcPauseThreshold = 0.05;

    /// <summary>Combines the health of several runs: counts and pauses add up, averages are weighted by duration, maxima are kept.</summary>
    public static RuntimeHealth? Combine(IReadOnlyList<RuntimeHealth?> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0 || parts.Any(p => p is null))
        {
            return null;
        }

        var all = parts.Select(p => p!).ToArray();
        var total = all.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.MeasuredDuration);
        double Weighted(Func<RuntimeHealth, double> value) => total > TimeSpan.Zero ? all.Sum(p => value(p) * (p.MeasuredDuration / total)) : all.Average(value);
        var offset = TimeSpan.Zero;
        var stalls = new List<Stall>();
        foreach (var p in all)
        {
            stalls.AddRange(p.Stalls.Select(s => s with { Offset = s.Offset + offset }));
            offset += p.MeasuredDuration;
        }

        return new RuntimeHealth(
            all.Sum(p => p.Samples),
            all[0].CpuCores,
            Weighted(p => p.CpuAverage),
            all.Max(p => p.CpuMax),
            all.Sum(p => p.Gen0Collections),
            all.Sum(p => p.Gen1Collections),
            all.Sum(p => p.Gen2Collections),
            all.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.GcPause),
            all.Sum(p => p.AllocatedBytes),
            all.Max(p => p.ThreadPoolQueueMax),
            Weighted(p => p.ThreadPoolQueueAverage),
            all[0].ThreadPoolThreadsAtStart,
            all.Max(p => p.ThreadPoolThreadsMax),
            stalls,
            total,
            all[0].OpenModel,
            all.All(p => p.MachineCpuAverage.HasValue) ? Weighted(p => p.MachineCpuAverage!.Value) : null,
            all.All(p => p.ServerProcessesCpuAverage.HasValue) ? Weighted(p => p.ServerProcessesCpuAverage!.Value) : null)
        {
            CpuTime = all.All(p => p.CpuTime.HasValue) ? all.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.CpuTime!.Value) : null,
            ServerCpuTime = all.All(p => p.ServerCpuTime.HasValue) ? all.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.ServerCpuTime!.Value) : null,
            DatabaseOperations = all.All(p => p.DatabaseOperations.HasValue) ? all.Sum(p => p.DatabaseOperations!.Value) : null,
            DatabaseTime = all.All(p => p.DatabaseTime.HasValue) ? all.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.DatabaseTime!.Value) : null,
            RunQueueWait = all.All(p => p.RunQueueWait.HasValue) ? all.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.RunQueueWait!.Value) : null,
            ConnectionPoolWaitingAverage = all.All(p => p.ConnectionPoolWaitingAverage.HasValue) ? Weighted(p => p.ConnectionPoolWaitingAverage!.Value) : null,
            ConnectionPoolWaitingMax = all.All(p => p.ConnectionPoolWaitingMax.HasValue) ? all.Max(p => p.ConnectionPoolWaitingMax!.Value) : null,
            OtherTestsInProcess = all.Any(p => p.OtherTestsInProcess),
            TieringCpuTime = all.All(p => p.TieringCpuTime.HasValue) ? all.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.TieringCpuTime!.Value) : null,
            OtherProcessesBursts = all.All(p => p.OtherProcessesBursts.HasValue)
                ? new OtherProcessesBursts(all.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.OtherProcessesBursts!.Value.Duration), all.Max(p => p.OtherProcessesBursts!.Value.Peak))
                : null,
        };
    }

    /// <summary>
    /// Requests of this process's database clients waiting for a pooled connection, on average over the samples
    /// (<c>db.client.connections.pending_requests</c>); <see langword="null"/> when no database client published it.
    /// A pool too small for the load, or connections held too long, shows here first.
    /// </summary>
    public double? ConnectionPoolWaitingAverage { get; init; }

    /// <summary>The most requests waiting for a pooled connection at one sample; <see langword="null"/> when not published.</summary>
    public long? ConnectionPoolWaitingMax { get; init; }

    /// <summary>An average of requests waiting for a pooled connection at or above this names the pool as the bottleneck.</summary>
    public const double ConnectionPoolWaitingThreshold = 1;

    /// <summary>This process's exact CPU time in the measured phase; <see langword="null"/> in reports that predate it.</summary>
    public TimeSpan? CpuTime { get; init; }

    /// <summary>CPU time of the system's own server processes in the measured phase; <see langword="null"/> when none is registered or it is unknown.</summary>
    public TimeSpan? ServerCpuTime { get; init; }

    /// <summary>
    /// Database operations this process completed in the measured phase, as its database client reports them
    /// (OpenTelemetry's <c>db.client.operation.duration</c>); <see langword="null"/> when no database client published it.
    /// </summary>
    public long? DatabaseOperations { get; init; }

    /// <summary>The time those database operations took, summed; <see langword="null"/> with <see cref="DatabaseOperations"/>.</summary>
    public TimeSpan? DatabaseTime { get; init; }

    /// <summary>
    /// How long this process's threads waited, runnable, for a core in the measured phase (the kernel's scheduler
    /// statistics, Linux only; a lower bound, as exited threads take their share with them); <see langword="null"/> where unknown.
    /// </summary>
    public TimeSpan? RunQueueWait { get; init; }

    /// <summary>
    /// CPU time of the runtime's tiered-compilation thread in the measured phase (the kernel's scheduler statistics,
    /// Linux only): tiered compilation goes on for seconds after start-up, and how much of it lands in a measurement
    /// varies between processes. <see langword="null"/> where unknown.
    /// </summary>
    public TimeSpan? TieringCpuTime { get; init; }

    /// <summary>
    /// Whether another performance test was in progress in this process during the measured phase (xUnit running
    /// tests in parallel): its work then counts in this run's CPU time and allocations, which describe the whole process.
    /// </summary>
    public bool OtherTestsInProcess { get; init; }

    /// <summary>
    /// The sampling windows in which other processes held a quarter or more of the machine's CPU, and their peak;
    /// <see langword="null"/> where the machine's CPU is unknown (or the report predates this reading).
    /// </summary>
    public OtherProcessesBursts? OtherProcessesBursts { get; init; }

    /// <summary>
    /// The share of all cores that other processes used during the run (machine minus this process and the
    /// system under test's own server processes), or <see langword="null"/> where the machine's CPU is unknown.
    /// </summary>
    public double? OtherProcessesCpu => MachineCpuAverage is { } machine ? Math.Max(0, machine - CpuAverage - (ServerProcessesCpuAverage ?? 0)) : null;

    /// <summary>
    /// Whether other processes disturbed the run: they used a tenth or more of the machine's CPU on average, or
    /// held a quarter or more of it in bursts covering a twentieth of the run (see <see cref="OtherProcessesBursts"/>).
    /// Even when the machine is not full, this process's threads then wait for a free core, so a slowdown measured
    /// during the run is not evidence of a regression.
    /// </summary>
    public bool DisturbedByOtherProcesses => OtherProcessesCpu >= 0.1 || BurstShare >= PerfRegression.OtherProcessesBursts.DisturbingShare;

    /// <summary>The share of the measured phase covered by other processes' bursts, or <see langword="null"/> where unknown.</summary>
    internal double? BurstShare => OtherProcessesBursts is { } bursts && MeasuredDuration > TimeSpan.Zero ? bursts.Duration / MeasuredDuration : null;

    /// <summary>Warnings about conditions that corrupt latency measurements, each saying what to do.</summary>
    public IReadOnlyList<string> Warnings()
    {
        var warnings = new List<string>();
        if (Samples == 0)
        {
            return warnings;
        }

        if (OtherTestsInProcess)
        {
            warnings.Add("Another performance test ran in this process during the measurement (xUnit runs tests in parallel): its work counts in this run's CPU time and allocations per request, and its CPU in the latencies. "
                + "Run performance tests one at a time: [assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)] in the test project, or a collection with DisableParallelization = true.");
        }

        if (CpuAverage >= CpuSaturationThreshold)
        {
            warnings.Add($"CPU saturated: this process used {Formatting.Percent(CpuAverage)} of {CpuCores} cores on average. "
                + "Load generator and in-process server compete for CPU, so latencies include waiting for a core. "
                + "Lower the load, or target a server in another process (LoadTarget.Kestrel / PERF_BASE_URL).");
        }
        else if (MachineCpuAverage is { } machine && machine >= CpuSaturationThreshold && ServerProcessesCpuAverage is { } server && OtherProcessesCpu < 0.1)
        {
            // Name the database, and advise about it, only when the system's server processes took a real share:
            // with them nearly idle the database is no part of the cause.
            warnings.Add(server < 0.1
                ? $"CPU saturated: the machine was {Formatting.Percent(machine)} busy, this process using {Formatting.Percent(CpuAverage)} of {CpuCores} cores and the system's server processes only {Formatting.Percent(server)}. "
                    + "Load generator and in-process server compete for CPU, so latencies include waiting for a core. "
                    + "Lower the load, or target a server in another process (LoadTarget.Kestrel / PERF_BASE_URL)."
                : $"CPU saturated: the machine was {Formatting.Percent(machine)} busy, this process using {Formatting.Percent(CpuAverage)} and the system's server processes (e.g. its database) {Formatting.Percent(server)} of {CpuCores} cores. "
                    + "Latencies include waiting for a core. Lower the load, or give the database a machine of its own (PERF_POSTGRES_CONNECTION_STRING).");
        }
        else if (MachineCpuAverage is { } busy && busy >= CpuSaturationThreshold)
        {
            warnings.Add($"CPU taken by other processes: the machine was {Formatting.Percent(busy)} busy while this process used {Formatting.Percent(CpuAverage)}{(ServerProcessesCpuAverage is { } own ? $" and the system's server processes {Formatting.Percent(own)}" : string.Empty)} of {CpuCores} cores. "
                + "Latencies include waiting for a core that another program held. Run performance tests on a quiet machine.");
        }
        else if (BurstShare >= PerfRegression.OtherProcessesBursts.DisturbingShare && OtherProcessesBursts is { } bursts)
        {
            warnings.Add($"CPU taken by other processes in bursts: for {Formatting.Duration(bursts.Duration)} of the {Formatting.Duration(MeasuredDuration)} measured, other processes held {Formatting.Percent(PerfRegression.OtherProcessesBursts.Threshold)} or more of the machine's {CpuCores} cores (peak {Formatting.Percent(bursts.Peak)}), "
                + $"though only {Formatting.Percent(OtherProcessesCpu ?? 0)} on average. The requests of those moments waited for a core, and they are the slowest ones, which set the high percentiles. Run performance tests on a quiet machine.");
        }

        // A long queue on a saturated CPU is work waiting for a core (reported above); a long queue while
        // the cores are idle means threads are blocked: that is starvation.
        var coresIdle = CpuAverage < StarvationCpuCeiling && (MachineCpuAverage ?? 0) < StarvationCpuCeiling;
        if (ThreadPoolQueueAverage >= ThreadPoolQueueThreshold && coresIdle)
        {
            warnings.Add($"Thread-pool starvation: {Formatting.Number(ThreadPoolQueueAverage, "0.#")} work items waited on average (max {ThreadPoolQueueMax}) while the CPU was only {Formatting.Percent(CpuAverage)} busy; "
                + $"threads grew from {ThreadPoolThreadsAtStart} to {ThreadPoolThreadsMax}. Latencies include waiting for a thread; "
                + "look for blocking calls (.Result, .Wait(), synchronous I/O) in the system or the scenario.");
        }

        var pauseShare = MeasuredDuration > TimeSpan.Zero ? GcPause / MeasuredDuration : 0;
        if (pauseShare >= GcPauseThreshold)
        {
            warnings.Add($"GC pauses took {Formatting.Percent(pauseShare)} of the run ({Formatting.Duration(GcPause)}; gen0 {Gen0Collections}, gen1 {Gen1Collections}, gen2 {Gen2Collections}). "
                + "Pauses stop client and in-process server alike; reduce allocations or enable server GC.");
        }

        if (!OpenModel && Stalls.Count > 0)
        {
            var longest = Stalls.Max(s => s.Duration);
            warnings.Add($"Coordinated omission: nothing completed for {Formatting.Duration(longest)} (at {Formatting.Duration(Stalls.First(s => s.Duration == longest).Offset)}; {Stalls.Count} stall(s)). "
                + "In a closed model users wait during a stall instead of sending, so the percentiles under-report it. "
                + "Measure with an open model (LoadProfile.ConstantRate) to see latency as arriving users would.");
        }

        return warnings;
    }
}
