using PerfRegression.Measurement;

namespace PerfRegression.Engine;

/// <summary>
/// Samples this process's health during the measured phase: CPU, GC, allocations, thread pool, and the
/// number of completed steps (to find stalls). The load generator shares the process with an in-memory
/// server, so a starved client corrupts latencies; this is how we notice.
/// </summary>
internal sealed class RuntimeSampler
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Func<long> _completed;
    private readonly List<RuntimeSample> _samples = [];
    private readonly Baseline _start;
    private readonly long _startTimestamp;
    private readonly (long Busy, long Total)? _machineStart = MachineCpu.Read();
    private readonly long? _serverStart = ServerProcesses.ReadJiffies();
    private readonly (long Operations, TimeSpan Time)? _databaseStart = DatabaseOperations.Read();
    private readonly IReadOnlyDictionary<int, ThreadSchedule.Times>? _scheduleStart = ThreadSchedule.Read();
    private readonly long _testsStarted = TestsInProcess.Started;
    private int _testsActiveMax = TestsInProcess.Active;

    private readonly WorkerRecorder[] _workers;
    private readonly GeneratorAllocations _allocations;
    private long _previousSampleAt;

    public RuntimeSampler(TimeProvider time, TimeSpan interval, Func<long> completed, WorkerRecorder[]? workers = null, GeneratorAllocations? allocations = null)
    {
        _allocations = allocations ?? new GeneratorAllocations();
        _workers = workers ?? [];
        _time = time;
        _interval = interval;
        _completed = completed;
        _start = Baseline.Capture();
        _startTimestamp = time.GetTimestamp();
        _previousSampleAt = _startTimestamp;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                TakeSample();
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over; the samples taken so far are the result.
        }
    }

    public void TakeSample() => _allocations.Count(Sample);

    private void Sample()
    {
        lock (_samples)
        {
            // The latest completion so far, and the first completion since the last sample that ended a pause: a stall's
            // real start and end, which whole sampling windows would round to the interval.
            long latest = 0;
            long? gapEnd = null;
            foreach (var worker in _workers)
            {
                latest = Math.Max(latest, worker.LastCompletedAt);
                var ended = worker.LastGapEndedAt;
                if (ended > _previousSampleAt && (gapEnd is null || ended < gapEnd))
                {
                    gapEnd = ended;
                }
            }

            var now = _time.GetTimestamp();
            _previousSampleAt = now;
            _testsActiveMax = Math.Max(_testsActiveMax, TestsInProcess.Active);
            _samples.Add(new RuntimeSample(
                _time.GetElapsedTime(_startTimestamp, now),
                Environment.CpuUsage.TotalTime,
                ThreadPool.PendingWorkItemCount,
                ThreadPool.ThreadCount,
                _completed(),
                latest > _startTimestamp ? _time.GetElapsedTime(_startTimestamp, latest) : null,
                gapEnd is { } end ? _time.GetElapsedTime(_startTimestamp, end) : null,
                MachineCpu.Read(),
                ServerProcesses.ReadJiffies()));
        }
    }

    /// <summary>Summarises the samples into the report's runtime health, with stalls found where load was expected.</summary>
    public RuntimeHealth Summarise(TimeSpan measured, Func<TimeSpan, bool> loadExpectedAt, bool openModel, TimeSpan interval)
    {
        RuntimeSample[] samples;
        lock (_samples)
        {
            samples = _samples.ToArray();
        }

        var end = Baseline.Capture();
        var cores = Environment.ProcessorCount;
        var cpuSeconds = (end.Cpu - _start.Cpu).TotalSeconds;
        var wall = Math.Max(measured.TotalSeconds, 1e-6);
        var cpuAverage = cpuSeconds / (wall * cores);

        double cpuMax = 0;
        var previousTime = TimeSpan.Zero;
        var previousCpu = _start.Cpu;
        foreach (var s in samples)
        {
            var dt = (s.Offset - previousTime).TotalSeconds;
            if (dt > 0)
            {
                cpuMax = Math.Max(cpuMax, (s.Cpu - previousCpu).TotalSeconds / (dt * cores));
            }

            previousTime = s.Offset;
            previousCpu = s.Cpu;
        }

        var queueMax = samples.Length == 0 ? 0 : samples.Max(s => s.QueueLength);
        var queueAverage = samples.Length == 0 ? 0 : samples.Average(s => (double)s.QueueLength);
        var threadsMax = samples.Length == 0 ? ThreadPool.ThreadCount : samples.Max(s => s.Threads);

        var machineEnd = MachineCpu.Read();
        var serverEnd = ServerProcesses.ReadJiffies();
        var databaseEnd = DatabaseOperations.Read();
        var schedule = ThreadSchedule.Between(_scheduleStart, ThreadSchedule.Read());
        return new RuntimeHealth(
            Samples: samples.Length,
            CpuCores: cores,
            CpuAverage: Math.Clamp(cpuAverage, 0, 1),
            CpuMax: Math.Clamp(Math.Max(cpuMax, cpuAverage), 0, 1),
            Gen0Collections: end.Gen0 - _start.Gen0,
            Gen1Collections: end.Gen1 - _start.Gen1,
            Gen2Collections: end.Gen2 - _start.Gen2,
            GcPause: end.Pause - _start.Pause,
            AllocatedBytes: Math.Max(0, end.Allocated - _start.Allocated - _allocations.Bytes),
            ThreadPoolQueueMax: queueMax,
            ThreadPoolQueueAverage: queueAverage,
            ThreadPoolThreadsAtStart: _start.Threads,
            ThreadPoolThreadsMax: threadsMax,
            Stalls: FindStalls(samples, measured, loadExpectedAt, interval),
            MeasuredDuration: measured,
            OpenModel: openModel,
            MachineCpuAverage: MachineCpu.Between(_machineStart, machineEnd),
            ServerProcessesCpuAverage: MachineCpu.Share(_serverStart, serverEnd, _machineStart, machineEnd))
        {
            CpuTime = end.Cpu - _start.Cpu,
            ServerCpuTime = _serverStart is { } first && serverEnd is { } last ? ServerProcesses.ToTime(last - first) : null,
            DatabaseOperations = databaseEnd is { } dbEnd ? dbEnd.Operations - (_databaseStart?.Operations ?? 0) : null,
            DatabaseTime = databaseEnd is { } dbTimeEnd ? dbTimeEnd.Time - (_databaseStart?.Time ?? TimeSpan.Zero) : null,
            RunQueueWait = schedule?.Waited,
            TieringCpuTime = schedule?.TieringCpu,
            OtherTestsInProcess = Math.Max(_testsActiveMax, TestsInProcess.Active) > 1 || TestsInProcess.Started > _testsStarted,
            OtherProcessesBursts = FindOtherProcessesBursts(samples, new RuntimeSample(TimeSpan.Zero, _start.Cpu, 0, 0, 0, Machine: _machineStart, ServerJiffies: _serverStart), cores),
        };
    }

    /// <summary>Windows in which no step completed although load was expected and the run's average rate predicts several.</summary>
    internal static IReadOnlyList<Stall> FindStalls(IReadOnlyList<RuntimeSample> samples, TimeSpan measured, Func<TimeSpan, bool> loadExpectedAt, TimeSpan interval)
    {
        if (samples.Count < 3 || measured <= TimeSpan.Zero)
        {
            return [];
        }

        var total = samples[^1].Completed;
        var rate = total / Math.Max(samples[^1].Offset.TotalSeconds, 1e-6);
        var stalls = new List<Stall>();
        TimeSpan? stallStart = null;
        var previous = new RuntimeSample(TimeSpan.Zero, TimeSpan.Zero, 0, 0, 0);
        foreach (var s in samples)
        {
            var window = s.Offset - previous.Offset;
            var expected = rate * window.TotalSeconds;
            // Only whole sampling windows count: the last sample, taken as the run stops, closes a sliver.
            var idle = s.Completed == previous.Completed && window >= interval / 2 && expected >= 5 && loadExpectedAt(previous.Offset) && loadExpectedAt(s.Offset);
            if (idle)
            {
                // Nothing completed since the previous sample: the stall began at the latest completion before it.
                stallStart ??= s.LastCompletion is { } last && last <= previous.Offset ? last : previous.Offset;
            }
            else if (stallStart is { } start)
            {
                // It ended at the first completion after the pause, inside this window.
                var end = s.FirstCompletionAfterGap is { } first && first >= previous.Offset && first <= s.Offset ? first : previous.Offset;
                stalls.Add(new Stall(start, end - start));
                stallStart = null;
            }

            previous = s;
        }

        if (stallStart is { } open)
        {
            stalls.Add(new Stall(open, previous.Offset - open));
        }

        return stalls;
    }

    /// <summary>
    /// The sampling windows in which other processes held at least <see cref="PerfRegression.OtherProcessesBursts.Threshold"/> of the
    /// machine. A trial's average dilutes a burst, yet a burst covering a twentieth of the run is enough to set its p95.
    /// </summary>
    internal static OtherProcessesBursts? FindOtherProcessesBursts(IReadOnlyList<RuntimeSample> samples, RuntimeSample start, int cores)
    {
        if (start.Machine is null || samples.Count == 0 || samples.Any(s => s.Machine is null))
        {
            return null;
        }

        var busy = TimeSpan.Zero;
        double peak = 0;
        var previous = start;
        foreach (var s in samples)
        {
            var window = s.Offset - previous.Offset;
            if (window > TimeSpan.Zero && MachineCpu.Between(previous.Machine, s.Machine) is { } machine)
            {
                var own = (s.Cpu - previous.Cpu).TotalSeconds / (window.TotalSeconds * cores);
                var server = MachineCpu.Share(previous.ServerJiffies, s.ServerJiffies, previous.Machine, s.Machine) ?? 0;
                var others = Math.Clamp(machine - own - server, 0, 1);
                peak = Math.Max(peak, others);
                if (others >= OtherProcessesBursts.Threshold)
                {
                    busy += window;
                }

                previous = s;
            }
        }

        return new OtherProcessesBursts(busy, peak);
    }

    /// <param name="Offset">When the sample was taken, from the start of the measured phase.</param>
    /// <param name="Cpu">This process's cumulative CPU time.</param>
    /// <param name="QueueLength">Work items queued for the thread pool.</param>
    /// <param name="Threads">Thread-pool threads.</param>
    /// <param name="Completed">Steps completed so far.</param>
    /// <param name="LastCompletion">The offset of the latest completion so far, when known.</param>
    /// <param name="FirstCompletionAfterGap">The offset of the first completion since the previous sample that ended a pause of a sampling interval or more, when any.</param>
    /// <param name="Machine">Cumulative (busy, total) jiffies of the machine; <see langword="null"/> where unknown.</param>
    /// <param name="ServerJiffies">Cumulative jiffies of the system's own server processes; <see langword="null"/> when none.</param>
    internal readonly record struct RuntimeSample(TimeSpan Offset, TimeSpan Cpu, long QueueLength, int Threads, long Completed, TimeSpan? LastCompletion = null, TimeSpan? FirstCompletionAfterGap = null, (long Busy, long Total)? Machine = null, long? ServerJiffies = null);

    private readonly record struct Baseline(TimeSpan Cpu, int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated, int Threads)
    {
        public static Baseline Capture() => new(
            Environment.CpuUsage.TotalTime,
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration(),
            GC.GetTotalAllocatedBytes(precise: true),
            ThreadPool.ThreadCount);
    }
}
