using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Knobs of a load run. Every property has a documented default, so <c>new LoadOptions()</c> is a good
/// start; the options are validated when a run starts, and every problem is listed in one message.
/// </summary>
public sealed class LoadOptions
{
    /// <summary>
    /// One warm-up slice: the scenario runs before measuring, so JIT, connection pools and caches are warm.
    /// Slices repeat until two in a row agree (throughput within 15%, p95 within 25%, on the real clock this process's
    /// CPU time per request within 10% with the JIT's tiering thread idle) or <see cref="MaxWarmup"/> is reached.
    /// </summary>
    /// <value>The default value is 1 second. Zero disables warm-up.</value>
    /// <remarks>
    /// Warm-up runs the scenario with the profile's peak users (closed model) or at its peak arrival rate (open model);
    /// its results are discarded. A slice in which nothing completed (a hanging or refusing system) ends the warm-up.
    /// </remarks>
    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest warm-up, in wall time, when slices keep changing (e.g. while the JIT is still tiering up). It includes
    /// the graceful stop at the end of each slice and the pauses in which the load waits for the JIT to catch up, so a
    /// hanging system cannot stretch the warm-up beyond it. A warm process ends its warm-up in a few seconds; a route run
    /// first in a process took 11-15 s on a 2-core machine. A warm-up that ends here with the JIT still busy says so in
    /// the first trial's warnings.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxWarmup { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one step may take before it is abandoned and counted as an error of kind <c>timeout</c>.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long iterations still in flight at the end of the profile may take to finish before they are
    /// cancelled and counted as interrupted. The measured phase always ends by the profile's end plus this grace
    /// period (plus one second to collect results), even when the system under test hangs; with the warm-up, a
    /// run ends by <see cref="MaxWarmup"/> + the profile's duration + this grace period + 1 second.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan GracefulStop { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The deadline of a profile bounded by iteration count rather than duration.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Seed of every virtual user's random (think time, random data feeds), so runs are reproducible.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>Significant decimal digits of the latency histograms (HdrHistogram precision).</summary>
    /// <value>
    /// The default value is 2: every recorded value is exact to within 1%, and a histogram takes about
    /// 27 KB. 3 is exact to 0.1% at about 190 KB per route and worker. Allowed: 1 to 4.
    /// </value>
    public int HistogramSignificantDigits { get; set; } = 2;

    /// <summary>How often the runtime health of this process (CPU, GC, thread pool) is sampled during the run.</summary>
    /// <value>The default value is 250 milliseconds.</value>
    public TimeSpan RuntimeSampleInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The length of one row of the run's <see cref="Timeline"/> (requests, errors and latency percentiles per route,
    /// the load offered, this process's CPU, collections and thread pool). A run planned longer than
    /// <see cref="Timeline.MaxIntervals"/> of them gets longer intervals (whole seconds), so memory stays bounded.
    /// </summary>
    /// <value>The default value is 1 second. Allowed: 100 ms to 24 hours.</value>
    public TimeSpan TimelineInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether each trial measures this process's memory (<see cref="LoadReport.Memory"/>): the managed heap after a full,
    /// blocking collection just before and just after the measured phase (outside it, so latencies are not touched,
    /// but each collection takes tens of milliseconds), and the working set's peak. Unset, it is measured when the test
    /// states a memory budget (<c>[MemoryBudget]</c>); set it to measure without one, or for budgets checked in code.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: measured when a memory budget asks for it.</value>
    public bool? MeasureMemory { get; set; }

    /// <summary>
    /// How often a soak samples what a leak grows (<see cref="LoadReport.ResourceSamples"/>): the managed heap after a full
    /// blocking collection, open handles, threads, database connections. Each sample pauses the process for that
    /// collection (milliseconds on a heap of tens of megabytes), inside the measured phase: latencies of the same run
    /// include those pauses. Unset, it is sampled when the test states a leak check (<c>[LeakCheck]</c>, every 5 s).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: sampled when a leak check asks for it. Allowed: 100 ms to 1 hour.</value>
    public TimeSpan? LeakSampleInterval { get; set; }

    /// <summary>
    /// How often a running trial reports where it stands (elapsed, users or arrivals, requests, errors, the slowest
    /// route's p95 over the last second) as a line in the test's output, so a long hold is not silent. Zero turns it
    /// off. Reported on the real clock only.
    /// </summary>
    /// <value>The default value is 10 seconds: a pull-request trial of 5 s stays quiet, a 5-minute hold writes 30 lines.</value>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many virtual users run their setup at once.</summary>
    /// <value>The default value is 8.</value>
    public int SetupParallelism { get; set; } = 8;

    /// <summary>The clock of the run. Tests of the runner may pass a fake one; runtime health is then not sampled, since CPU and GC per fake second mean nothing.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Open model only: an iteration that starts more than this after its intended time counts as a delayed start.</summary>
    /// <value>The default value is 10 milliseconds.</value>
    public TimeSpan LateStartTolerance { get; set; } = TimeSpan.FromMilliseconds(10);

    internal LoadOptions Clone() => (LoadOptions)MemberwiseClone();

    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Warmup < TimeSpan.Zero)
        {
            problems.Add($"Warmup is {Formatting.Duration(Warmup)}; it must be zero (no warm-up) or more.");
        }

        if (Warmup > TimeSpan.Zero && MaxWarmup < Warmup)
        {
            problems.Add($"MaxWarmup is {Formatting.Duration(MaxWarmup)}, shorter than one warm-up slice ({Formatting.Duration(Warmup)}). Make it at least as long as Warmup.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add($"RequestTimeout is {Formatting.Duration(RequestTimeout)}; it must be greater than zero, e.g. TimeSpan.FromSeconds(30).");
        }

        if (GracefulStop < TimeSpan.Zero)
        {
            problems.Add($"GracefulStop is {Formatting.Duration(GracefulStop)}; it must be zero or more.");
        }

        if (MaxDuration <= TimeSpan.Zero)
        {
            problems.Add($"MaxDuration is {Formatting.Duration(MaxDuration)}; it must be greater than zero.");
        }

        if (HistogramSignificantDigits is < 1 or > 4)
        {
            problems.Add($"HistogramSignificantDigits is {HistogramSignificantDigits}; it must be between 1 and 4 (2 keeps values within 1%).");
        }

        if (RuntimeSampleInterval < TimeSpan.FromMilliseconds(10))
        {
            problems.Add($"RuntimeSampleInterval is {Formatting.Duration(RuntimeSampleInterval)}; it must be at least 10 ms, or sampling itself disturbs the run.");
        }

        if (TimelineInterval < TimeSpan.FromMilliseconds(100))
        {
            problems.Add($"TimelineInterval is {Formatting.Duration(TimelineInterval)}; it must be at least 100 ms (a shorter interval holds too few requests for its percentiles to mean much).");
        }

        if (ProgressInterval < TimeSpan.Zero || (ProgressInterval > TimeSpan.Zero && ProgressInterval < TimelineInterval))
        {
            problems.Add($"ProgressInterval is {Formatting.Duration(ProgressInterval)}; it must be zero (no progress lines) or at least TimelineInterval ({Formatting.Duration(TimelineInterval)}), the interval progress is read from.");
        }

        if (LeakSampleInterval is { } leak && (leak < TimeSpan.FromMilliseconds(100) || leak > TimeSpan.FromHours(1)))
        {
            problems.Add($"LeakSampleInterval is {Formatting.Duration(leak)}; it must be between 100 ms (each sample is a full collection, which pauses the process) and 1 hour. Leave it unset to sample every 5 s when a leak check asks.");
        }

        if (SetupParallelism < 1)
        {
            problems.Add($"SetupParallelism is {SetupParallelism}; at least 1 user must be able to run its setup.");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider is null; leave it at TimeProvider.System unless a test fakes time.");
        }

        if (LateStartTolerance < TimeSpan.Zero)
        {
            problems.Add($"LateStartTolerance is {Formatting.Duration(LateStartTolerance)}; it must be zero or more.");
        }

        (string Name, TimeSpan Value)[] spans =
        [
            (nameof(Warmup), Warmup), (nameof(MaxWarmup), MaxWarmup), (nameof(RequestTimeout), RequestTimeout), (nameof(GracefulStop), GracefulStop),
            (nameof(MaxDuration), MaxDuration), (nameof(RuntimeSampleInterval), RuntimeSampleInterval), (nameof(LateStartTolerance), LateStartTolerance), (nameof(TimelineInterval), TimelineInterval), (nameof(ProgressInterval), ProgressInterval),
        ];
        problems.AddRange(spans.Select(s => Limits.TooLong(s.Name, s.Value)).OfType<string>());

        return problems;
    }
}
