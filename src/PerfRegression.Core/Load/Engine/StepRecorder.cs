using HdrHistogram;
using PerfRegression.Measurement;

namespace PerfRegression.Engine;

/// <summary>
/// What one worker recorded for one step. Only its own worker writes to it, so recording takes no lock;
/// recorders are merged once the run is over.
/// </summary>
internal sealed class StepRecorder
{
    private Dictionary<string, long>? _errorsByKind;

    public StepRecorder(int significantDigits, bool separateServiceTime, int checkCount)
    {
        Latency = Histograms.Create(significantDigits);
        ServiceTime = separateServiceTime ? Histograms.Create(significantDigits) : null;
        CheckPasses = new long[checkCount];
        CheckFailures = new long[checkCount];
    }

    /// <summary>Latency as the user sees it: from the intended start in the open model, from the actual start otherwise.</summary>
    public LongHistogram Latency { get; }

    /// <summary>Open model only: from the actual start to the end.</summary>
    public LongHistogram? ServiceTime { get; }

    public long Errors { get; private set; }

    public long[] CheckPasses { get; }

    public long[] CheckFailures { get; }

    public IReadOnlyDictionary<string, long> ErrorsByKind => _errorsByKind ?? (IReadOnlyDictionary<string, long>)EmptyErrors;

    private static readonly Dictionary<string, long> EmptyErrors = [];

    /// <summary>Latency of the executions that failed, apart: a refused connection answers in microseconds and must not make latency look good. Allocated on the first failure.</summary>
    public LongHistogram? FailedLatency { get; private set; }

    /// <summary>Bytes of the response bodies received (HTTP steps), successful and failed alike.</summary>
    public long ResponseBytes { get; private set; }

    /// <summary>Records one completed execution. The hot path: two histogram writes, no allocation.</summary>
    public void Record(long latencyMicroseconds, long serviceMicroseconds, in StepOutcome outcome, long responseBytes = 0)
    {
        ResponseBytes += responseBytes;
        if (outcome.ErrorKind is null)
        {
            Latency.RecordValue(Histograms.Clamp(latencyMicroseconds));
            ServiceTime?.RecordValue(Histograms.Clamp(serviceMicroseconds));
        }
        else
        {
            (FailedLatency ??= Histograms.Create(Latency.NumberOfSignificantValueDigits)).RecordValue(Histograms.Clamp(latencyMicroseconds));
        }

        if (outcome.CheckResults is { } checks)
        {
            for (var i = 0; i < checks.Length; i++)
            {
                if (checks[i])
                {
                    CheckPasses[i]++;
                }
                else
                {
                    CheckFailures[i]++;
                }
            }
        }

        if (outcome.ErrorKind is { } kind)
        {
            RecordError(kind);
        }
    }

    private void RecordError(string kind)
    {
        Errors++;
        _errorsByKind ??= new Dictionary<string, long>(StringComparer.Ordinal);
        _errorsByKind[kind] = _errorsByKind.GetValueOrDefault(kind) + 1;
    }
}
