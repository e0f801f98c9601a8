using HdrHistogram;
using PerfRegression.Measurement;

namespace PerfRegression.Engine;

/// <summary>
/// Records a run's <see cref="Timeline"/>: every worker adds each completion to its route's
/// <see cref="IntervalLatency"/> (one atomic increment), and a timer
/// closes an interval every <see cref="Interval"/>, reading the latencies, the error and iteration counts, and
/// this process's CPU, collections, thread pool and database operations. Memory is two arrays of 7 KB per route and
/// at most <see cref="Timeline.MaxIntervals"/> rows.
/// </summary>
internal sealed class TimelineRecorder
{
    private readonly string[] _routes;
    private readonly IntervalLatency[] _latency;
    private readonly long[] _errors;
    private readonly long[] _errorsSoFar;
    private readonly TimeProvider _time;
    private readonly Func<long> _iterations;
    private readonly Func<TimeSpan, double?> _users;
    private readonly GeneratorAllocations? _allocations;
    private readonly List<TimelineInterval> _intervals = [];
    private readonly long _start;
    private TimeSpan _closedAt;
    private TimeSpan _cpu = Environment.CpuUsage.TotalTime;
    private (int Gen0, int Gen1, int Gen2) _collections = Collections();
    private long? _databaseOperations = DatabaseOperations.Read()?.Operations;
    private long _iterationsSoFar;

    /// <param name="routes">The scenario's step names, by step index.</param>
    /// <param name="interval">The interval; see <see cref="For"/> for how a run's length widens it.</param>
    /// <param name="time">The run's clock.</param>
    /// <param name="iterations">Iterations started so far.</param>
    /// <param name="users">Closed model: the users active at an offset; null otherwise.</param>
    /// <param name="allocations">Where the rows' allocations are counted, so they stay out of the run's bytes per request.</param>
    public TimelineRecorder(IReadOnlyList<string> routes, TimeSpan interval, TimeProvider time, Func<long> iterations, Func<TimeSpan, double?> users, GeneratorAllocations? allocations = null)
    {
        _allocations = allocations;
        _routes = [.. routes];
        _latency = _routes.Select(_ => new IntervalLatency()).ToArray();
        _errors = new long[_routes.Length];
        _errorsSoFar = new long[_routes.Length];
        Interval = interval;
        _time = time;
        _iterations = iterations;
        _users = users;
        _start = time.GetTimestamp();
    }

    /// <summary>Called with each interval as it closes (on the timer's thread, not under the recorder's lock).</summary>
    public Action<TimelineInterval>? IntervalClosed { get; init; }

    /// <summary>The length of one interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>
    /// The interval for a run planned to last <paramref name="planned"/>: <paramref name="wanted"/>, or longer when
    /// the run would otherwise need more than <see cref="Timeline.MaxIntervals"/> of them (to whole seconds).
    /// </summary>
    public static TimeSpan For(TimeSpan wanted, TimeSpan planned)
    {
        var widest = TimeSpan.FromSeconds(Math.Ceiling(planned.TotalSeconds / Timeline.MaxIntervals));
        return widest > wanted ? widest : wanted;
    }

    /// <summary>Notes one completed step execution of step <paramref name="step"/>; called by any worker.</summary>
    public void Record(int step, long latencyMicroseconds, bool failed)
    {
        // A success is counted by its latency alone: one recorder call is all a request pays.
        if (failed)
        {
            Interlocked.Increment(ref _errors[step]);
        }
        else
        {
            _latency[step].Record(latencyMicroseconds);
        }
    }

    /// <summary>Closes an interval every <see cref="Interval"/> until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Close() is { } closed)
                {
                    IntervalClosed?.Invoke(closed);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over; Finish closes the last interval.
        }
    }

    /// <summary>Closes the last interval and returns the timeline.</summary>
    public Timeline Finish()
    {
        Close();
        lock (_intervals)
        {
            return new Timeline(Interval.TotalSeconds, [.. _intervals.Where(i => i.Seconds > 0)]);
        }
    }

    private TimelineInterval? Close() => _allocations is { } allocations ? allocations.Count(CloseInterval) : CloseInterval();

    private TimelineInterval? CloseInterval()
    {
        lock (_intervals)
        {
            if (_intervals.Count >= Timeline.MaxIntervals)
            {
                return null; // the run outlived its plan (an iteration-bounded profile past MaxDuration cannot, a hang can)
            }

            var now = _time.GetElapsedTime(_start);
            var routes = new List<TimelineRoute>(_routes.Length);
            for (var i = 0; i < _routes.Length; i++)
            {
                var latency = _latency[i].TakeInterval();
                var errors = Interlocked.Exchange(ref _errors[i], 0);
                _errorsSoFar[i] += errors;
                if (latency.Count + errors == 0)
                {
                    continue;
                }

                routes.Add(new TimelineRoute(_routes[i], latency.Count + errors, errors, Milliseconds(latency.P50), Milliseconds(latency.P95), Milliseconds(latency.P99), Milliseconds(latency.Max)));
            }

            var cpu = Environment.CpuUsage.TotalTime;
            var collections = Collections();
            var database = DatabaseOperations.Read()?.Operations;
            var iterations = _iterations();
            var seconds = (now - _closedAt).TotalSeconds;
            _intervals.Add(new TimelineInterval(
                Math.Round(_closedAt.TotalSeconds, 3),
                Math.Round(seconds, 3),
                _users(_closedAt + ((now - _closedAt) / 2)) is { } users ? Math.Round(users, 2) : null,
                iterations - _iterationsSoFar,
                routes.Sum(r => r.Requests),
                routes.Sum(r => r.Errors),
                seconds > 0 ? Math.Round((cpu - _cpu).TotalSeconds / (seconds * Environment.ProcessorCount), 4) : null,
                collections.Gen0 - _collections.Gen0,
                collections.Gen1 - _collections.Gen1,
                collections.Gen2 - _collections.Gen2,
                ThreadPool.PendingWorkItemCount,
                ThreadPool.ThreadCount,
                database is { } operations && _databaseOperations is { } before ? operations - before : null,
                routes));
            (_closedAt, _cpu, _collections, _databaseOperations, _iterationsSoFar) = (now, cpu, collections, database, iterations);
            return _intervals[^1];
        }
    }

    /// <summary>
    /// Each route's latency and errors from the start up to the last closed interval, for a check of the run in
    /// progress; called from <see cref="IntervalClosed"/>, after the interval it is given was closed.
    /// </summary>
    public IReadOnlyList<(string Route, LongHistogram Latency, long Errors)> SoFar(int significantDigits)
    {
        lock (_intervals)
        {
            return _routes.Select((route, i) => (route, _latency[i].SoFar(significantDigits), _errorsSoFar[i])).ToArray();
        }
    }

    private static double Milliseconds(long microseconds) => Math.Round(microseconds / 1000.0, 3);

    private static (int Gen0, int Gen1, int Gen2) Collections() => (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
}
