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
    private long _lastGapEndedAt;

    private readonly GeneratorAllocations? _allocations;

    public WorkerRecorder(Scenario scenario, int significantDigits, bool separateServiceTime, GeneratorAllocations? allocations = null)
    {
        _allocations = allocations;
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
    /// The timestamp of this worker's latest completion that ended a pause of at least the gap set with
    /// <see cref="MarkCompletion"/>: when nothing completed anywhere for a while, the worker that completes first
    /// records the stall's real end here.
    /// </summary>
    public long LastGapEndedAt => Volatile.Read(ref _lastGapEndedAt);

    /// <summary>Notes a completion at <paramref name="timestamp"/>; a pause of <paramref name="gapTicks"/> or more before it ends a gap.</summary>
    public void MarkCompletion(long timestamp, long gapTicks)
    {
        if (_lastCompletedAt != 0 && timestamp - _lastCompletedAt >= gapTicks)
        {
            Volatile.Write(ref _lastGapEndedAt, timestamp);
        }

        Volatile.Write(ref _lastCompletedAt, timestamp);
    }

    public void Record(int step, long latencyMicroseconds, long serviceMicroseconds, in StepOutcome outcome)
    {
        // Allocated on first use, so a worker pays only for the routes it actually hits.
        var recorder = _steps[step] ??= Create(() => new StepRecorder(_significantDigits, _separateServiceTime, _checkCounts[step]));
        recorder.Record(latencyMicroseconds, serviceMicroseconds, outcome);
        Volatile.Write(ref _completed, _completed + 1);
    }

    /// <summary>Creates a recording structure, counted apart from what the requests allocate.</summary>
    private T Create<T>(Func<T> create) => _allocations is null ? create() : _allocations.Count(create);
}
