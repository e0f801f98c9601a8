namespace PerfRegression.Engine;

/// <summary>Everything one worker (a virtual user, or an open-model slot) records. Written by that worker only.</summary>
internal sealed class WorkerRecorder
{
    private readonly StepRecorder?[] _steps;
    private readonly int _significantDigits;
    private readonly bool _separateServiceTime;
    private readonly int[] _checkCounts;
    private long _completed;
    private long _lastCompletedAt;

    // A sequence lock: the window number is set to -1 while the first completion's timestamp changes, so the sampler,
    // reading the number before and after the timestamp, never pairs one window's number with another's timestamp.
    private int _firstWindow = -1;
    private long _firstInWindow;

    private readonly GeneratorAllocations? _allocations;
    private readonly SampleWindows? _windows;
    private readonly TimelineRecorder? _timeline;

    public WorkerRecorder(Scenario scenario, int significantDigits, bool separateServiceTime, GeneratorAllocations? allocations = null, SampleWindows? windows = null, TimelineRecorder? timeline = null)
    {
        _timeline = timeline;
        _allocations = allocations;
        _windows = windows;
        _steps = new StepRecorder?[scenario.Steps.Count];
        _checkCounts = scenario.Steps.Select(s => s.Checks.Count).ToArray();
        _significantDigits = significantDigits;
        _separateServiceTime = separateServiceTime;
        Metrics = new CustomMetrics(significantDigits);
    }

    public CustomMetrics Metrics { get; }

    /// <summary>Open model: how late each iteration started after its intended time, in microseconds; allocated on first use.</summary>
    public HdrHistogram.LongHistogram? StartLag { get; private set; }

    public void RecordStartLag(long microseconds)
        => (StartLag ??= Create(() => Measurement.Histograms.Create(_significantDigits))).RecordValue(Measurement.Histograms.Clamp(Math.Max(microseconds, 0)));

    public long Iterations { get; set; }

    /// <summary>Microseconds this worker spent inside steps.</summary>
    public long BusyMicroseconds { get; set; }

    /// <summary>Microseconds this worker spent in think time.</summary>
    public long ThinkMicroseconds { get; set; }

    /// <summary>Completed step executions, read by the sampler to see throughput over time.</summary>
    public long Completed => Volatile.Read(ref _completed);

    public IEnumerable<(int Step, StepRecorder Recorder)> Steps
    {
        get
        {
            for (var i = 0; i < _steps.Length; i++)
            {
                if (_steps[i] is { } recorder)
                {
                    yield return (i, recorder);
                }
            }
        }
    }

    /// <summary>The timestamp of this worker's latest completion; 0 before the first.</summary>
    public long LastCompletedAt => Volatile.Read(ref _lastCompletedAt);

    /// <summary>
    /// This worker's first completion in the sampler's window <paramref name="window"/>; <see langword="null"/> when it
    /// completed nothing there (or is noting a completion in a later window at this very moment).
    /// </summary>
    public long? FirstCompletionIn(int window)
    {
        var before = Volatile.Read(ref _firstWindow);
        var first = Volatile.Read(ref _firstInWindow);
        var after = Volatile.Read(ref _firstWindow);
        return before == window && after == window ? first : null;
    }

    /// <summary>Notes a completion at <paramref name="timestamp"/>: the latest one, and the first in the sampler's open window.</summary>
    public void MarkCompletion(long timestamp)
    {
        if (_windows is { } windows && windows.Open is var open && open != _firstWindow)
        {
            Volatile.Write(ref _firstWindow, -1);
            Volatile.Write(ref _firstInWindow, timestamp);
            Volatile.Write(ref _firstWindow, open);
        }

        Volatile.Write(ref _lastCompletedAt, timestamp);
    }

    public void Record(int step, long latencyMicroseconds, long serviceMicroseconds, in StepOutcome outcome, long responseBytes = 0)
    {
        var recorder = _steps[step] ?? NewStep(step);
        recorder.Record(latencyMicroseconds, serviceMicroseconds, outcome, responseBytes);
        _timeline?.Record(step, latencyMicroseconds, !outcome.IsSuccess);
        Volatile.Write(ref _completed, _completed + 1);
    }

    // Allocated on first use, so a worker pays only for the routes it actually hits. Apart from Record, so the lambda's
    // closure is not allocated on every request (C# creates it where the captured parameter comes into scope).
    private StepRecorder NewStep(int step) => _steps[step] = Create(() => new StepRecorder(_significantDigits, _separateServiceTime, _checkCounts[step]));

    /// <summary>Creates a recording structure, counted apart from what the requests allocate.</summary>
    private T Create<T>(Func<T> create) => _allocations is null ? create() : _allocations.Count(create);
}
