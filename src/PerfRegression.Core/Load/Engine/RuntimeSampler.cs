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
    private readonly SampleWindows _windows;

    public RuntimeSampler(TimeProvider time, TimeSpan interval, Func<long> completed, WorkerRecorder[]? workers = null, GeneratorAllocations? allocations = null, SampleWindows? windows = null)
    {
        _allocations = allocations ?? new GeneratorAllocations();
        _windows = windows ?? new SampleWindows();
        _workers = workers ?? [];
        _time = time;
        _interval = interval;
        _completed = completed;
        _start = Baseline.Capture();
        _startTimestamp = time.GetTimestamp();
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

    /// <summary>Whether each sample also reads the working set (when the run measures memory).</summary>
    public bool TrackWorkingSet { get; init; }

    /// <summary>The largest working set sampled, bytes; <see langword="null"/> unless <see cref="TrackWorkingSet"/>.</summary>
    public long? WorkingSetPeak { get; private set; }

    private void Sample()
    {
        lock (_samples)
        {
            // The latest completion so far, and the first since the previous sample: a stall runs from one to the other,
            // wherever it falls against the sampling windows and however late the sampler's timer fires.
            var window = _windows.Close();
            long latest = 0;
            long? first = null;
            foreach (var worker in _workers)
            {
                latest = Math.Max(latest, worker.LastCompletedAt);
                if (worker.FirstCompletionIn(window) is { } at && (first is null || at < first))
                {
                    first = at;
                }
            }

            var now = _time.GetTimestamp();
            _testsActiveMax = Math.Max(_testsActiveMax, TestsInProcess.Active);
            if (TrackWorkingSet)
            {
                WorkingSetPeak = Math.Max(WorkingSetPeak ?? 0, Environment.WorkingSet);
            }

            _samples.Add(new RuntimeSample(
                _time.GetElapsedTime(_startTimestamp, now),
                Environment.CpuUsage.TotalTime,
                ThreadPool.PendingWorkItemCount,
                ThreadPool.ThreadCount,
                _completed(),
                latest > _startTimestamp ? _time.GetElapsedTime(_startTimestamp, latest) : null,
                first is { } firstAt ? _time.GetElapsedTime(_startTimestamp, firstAt) : null,
                MachineCpu.Read(),
                ServerProcesses.ReadJiffies(),
                DatabaseConnections.ReadPending()));
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
        var pending = samples.Select(s => s.PoolPending).OfType<long>().ToArray();

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
            ConnectionPoolWaitingAverage = pending.Length > 0 ? pending.Average() : null,
            ConnectionPoolWaitingMax = pending.Length > 0 ? pending.Max() : null,
            TieringCpuTime = schedule?.TieringCpu,
            OtherTestsInProcess = Math.Max(_testsActiveMax, TestsInProcess.Active) > 1 || TestsInProcess.Started > _testsStarted,
            OtherProcessesBursts = FindOtherProcessesBursts(samples, new RuntimeSample(TimeSpan.Zero, _start.Cpu, 0, 0, 0, Machine: _machineStart, ServerJiffies: _serverStart), cores),
        };
    }

    /// <summary>
    /// Pauses between two consecutive completions of at least a sampling interval, in which the run's average rate
    /// predicts several completions and load was expected throughout; one still open when the run stopped ends there.
    /// </summary>
    internal static IReadOnlyList<Stall> FindStalls(IReadOnlyList<RuntimeSample> samples, TimeSpan measured, Func<TimeSpan, bool> loadExpectedAt, TimeSpan interval)
    {
        if (samples.Count < 3 || measured <= TimeSpan.Zero)
        {
            return [];
        }

        var rate = samples[^1].Completed / Math.Max(samples[^1].Offset.TotalSeconds, 1e-6);
        var stalls = new List<Stall>();
        // The phase's start stands for a completion: a run whose first completion comes late began with a stall.
        var latest = TimeSpan.Zero;
        foreach (var s in samples)
        {
            if (s.FirstCompletion is { } first)
            {
                AddIfStall(latest, first);
            }

            if (s.LastCompletion is { } last && last > latest)
            {
                latest = last;
            }
        }

        AddIfStall(latest, samples[^1].Offset);
        return stalls;

        void AddIfStall(TimeSpan from, TimeSpan to)
        {
            var gap = to - from;
            if (gap >= interval && rate * gap.TotalSeconds >= 5 && loadExpectedAt(from) && loadExpectedAt(to))
            {
                stalls.Add(new Stall(from, gap));
            }
        }
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
    /// <param name="FirstCompletion">The offset of the first completion since the previous sample, when any.</param>
    /// <param name="Machine">Cumulative (busy, total) jiffies of the machine; <see langword="null"/> where unknown.</param>
    /// <param name="ServerJiffies">Cumulative jiffies of the system's own server processes; <see langword="null"/> when none.</param>
    /// <param name="PoolPending">Requests waiting for a pooled database connection; <see langword="null"/> when no client publishes it.</param>
    internal readonly record struct RuntimeSample(TimeSpan Offset, TimeSpan Cpu, long QueueLength, int Threads, long Completed, TimeSpan? LastCompletion = null, TimeSpan? FirstCompletion = null, (long Busy, long Total)? Machine = null, long? ServerJiffies = null, long? PoolPending = null);

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
