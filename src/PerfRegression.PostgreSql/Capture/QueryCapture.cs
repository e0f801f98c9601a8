using System.Collections.Concurrent;
using System.Diagnostics;
using PerfRegression.Engine;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Captures every SQL command each load-test request causes, correlated to that request: while a capture
/// is open, the load runner sends W3C trace context with each request, ASP.NET Core makes its request
/// Activity a child of it, and Npgsql's command activities inherit the trace. Works with the in-memory
/// TestServer and with Kestrel in this process; an external target's queries are not visible.
/// </summary>
/// <remarks>
/// Never a process-wide counter: commands are attributed by trace, so concurrent requests, other tests'
/// queries and the fixture's own queries never mix in. Only measured requests count (not warm-up).
/// </remarks>
public sealed class QueryCapture : IDisposable, IRequestObserver
{
    private const string NpgsqlSource = "Npgsql";
    private const string AspNetCoreSource = "Microsoft.AspNetCore";
    private const string ParametersTag = "perfregression.parameters";

    // A command's activity can stop a moment after the client has its response (Npgsql ends it as the
    // reader closes, racing the response). A completed request therefore stays open for a short grace
    // before its commands are final; a command arriving later still is counted as late, never lost.
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<ActivityTraceId, Pending> _inFlight = new();
    private readonly ConcurrentQueue<(ActivityTraceId TraceId, long CompletedAt)> _completed = new();
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly ActivityListener _listener;
    private readonly ConnectionPoolMonitor _pool;
    private readonly IDisposable _registration;
    private long _late;
    private long _lastCompletion;
    private long _unended;
    private int _disposed;

    private QueryCapture()
    {
        ConnectionLoss.EnsureRegistered();
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is NpgsqlSource or AspNetCoreSource,
            Sample = Sample,
            ActivityStopped = OnStopped,
            ActivityStarted = OnStarted,
        };
        ActivitySource.AddActivityListener(_listener);
        _pool = new ConnectionPoolMonitor(TimeSpan.FromMilliseconds(50));
        ServerSnapshots = ServerStatistics.Start();
        _registration = RequestObservers.Register(this);
    }

    /// <summary>
    /// Starts capturing for the load runs that follow in this async flow (the test body, or the block
    /// that owns the returned capture). Dispose it to stop.
    /// </summary>
    public static QueryCapture Start() => new();

    /// <summary>
    /// The measured requests captured so far, each with its commands. Waits out the short grace after the last
    /// completed request (its commands' activities may still be stopping), so nothing that belongs to it is missed.
    /// </summary>
    public async Task<IReadOnlyList<CapturedRequest>> GetRequestsAsync(CancellationToken cancellationToken = default)
    {
        var sinceLast = _time.GetElapsedTime(Interlocked.Read(ref _lastCompletion));
        if (sinceLast < Grace)
        {
            await Task.Delay(Grace - sinceLast, _time, cancellationToken).ConfigureAwait(false);
        }

        Finalize(all: true);
        return [.. _requests];
    }

    /// <summary>Commands that finished after their request had completed (fire-and-forget work), not attributed.</summary>
    public long LateCommands => Interlocked.Read(ref _late);

    internal IReadOnlyList<ServerStatistics> ServerSnapshots { get; }

    /// <summary>Commands whose activity Npgsql never ended; they are counted, timed up to their first response.</summary>
    public long UnendedCommands => Interlocked.Read(ref _unended);

    /// <summary>The connection pools' peak use, waits and timeouts during the capture.</summary>
    public ConnectionPoolStatistics ConnectionPool => _pool.Snapshot();

    /// <summary>
    /// Passes a command's parameter values to its trace, so plan checks can explain statements with the
    /// values of a real execution. Register it on the app's data source:
    /// <c>dataSourceBuilder.ConfigureTracing(t =&gt; t.ConfigureCommandEnrichmentCallback(QueryCapture.EnrichCommand))</c>.
    /// It does nothing outside a capture (Npgsql creates no activity then), and values never reach reports.
    /// </summary>
    public static void EnrichCommand(Activity activity, Npgsql.NpgsqlCommand command)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(command);
        if (!activity.IsAllDataRequested || command.Parameters.Count == 0)
        {
            return;
        }

        var values = new object?[command.Parameters.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = command.Parameters[i].Value is DBNull ? null : command.Parameters[i].Value;
        }

        activity.SetCustomProperty(ParametersTag, values);
    }

    /// <summary>Stops capturing. Requests captured so far stay readable.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _registration.Dispose();
        _listener.Dispose();
        _pool.Dispose();
    }

    void IRequestObserver.RequestStarting(ActivityTraceId traceId) => _inFlight.TryAdd(traceId, new Pending());

    void IRequestObserver.RequestCompleted(string route, ActivityTraceId traceId, bool measured)
    {
        if (!_inFlight.TryGetValue(traceId, out var pending))
        {
            return;
        }

        pending.Route = route;
        pending.Measured = measured;
        var now = _time.GetTimestamp();
        Interlocked.Exchange(ref _lastCompletion, now);
        _completed.Enqueue((traceId, now));
        Finalize(all: false);
    }

    private void Finalize(bool all)
    {
        while (_completed.TryPeek(out var head) && (all || _time.GetElapsedTime(head.CompletedAt) >= Grace))
        {
            if (!_completed.TryDequeue(out head) || !_inFlight.TryRemove(head.TraceId, out var pending))
            {
                continue;
            }

            lock (pending.Commands)
            {
                pending.Final = true;
                CloseUnended(pending);
                if (pending.Measured)
                {
                    _requests.Enqueue(new CapturedRequest(pending.Route!, [.. pending.Commands]));
                }
            }
        }
    }

    private ActivitySamplingResult Sample(ref ActivityCreationOptions<ActivityContext> options)
    {
        // Only activities inside a request this capture follows: everything else costs nothing.
        if (!_inFlight.ContainsKey(options.Parent.TraceId))
        {
            return ActivitySamplingResult.None;
        }

        return options.Source.Name == NpgsqlSource ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData;
    }

    private void OnStarted(Activity activity)
    {
        if (activity.Source.Name == NpgsqlSource && _inFlight.TryGetValue(activity.TraceId, out var pending))
        {
            lock (pending.Commands)
            {
                pending.Open.Add(activity);
            }
        }
    }

    private void OnStopped(Activity activity)
    {
        if (activity.Source.Name != NpgsqlSource || ToCommand(activity, activity.Duration) is not { } command)
        {
            return;
        }

        if (_inFlight.TryGetValue(activity.TraceId, out var pending))
        {
            lock (pending.Commands)
            {
                pending.Open.Remove(activity);
                if (!pending.Final)
                {
                    pending.Commands.Add(command);
                    return;
                }
            }
        }

        Interlocked.Increment(ref _late);
    }

    /// <summary>
    /// Npgsql occasionally never ends a command's activity (seen about once in 1,600 commands): such a
    /// command still counts, timed up to its first response, the best evidence there is.
    /// </summary>
    private void CloseUnended(Pending pending)
    {
        foreach (var activity in pending.Open)
        {
            if (ToCommand(activity, FirstResponse(activity)) is { } command)
            {
                pending.Commands.Add(command);
                Interlocked.Increment(ref _unended);
            }
        }

        pending.Open.Clear();
    }

    private static TimeSpan FirstResponse(Activity activity)
    {
        foreach (var e in activity.Events)
        {
            return e.Timestamp.UtcDateTime - activity.StartTimeUtc;
        }

        return TimeSpan.Zero;
    }

    private static CapturedCommand? ToCommand(Activity activity, TimeSpan duration)
    {
        if ((activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is not string text)
        {
            // Connection opens and other non-command activities.
            return null;
        }

        var rows = activity.GetTagItem("db.npgsql.rows") switch
        {
            long l => l,
            int i => i,
            ulong u => (long)u,
            _ => (long?)null,
        };
        var server = activity.GetTagItem("server.address") is string host
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{host}:{activity.GetTagItem("server.port") ?? 5432}")
            : null;
        return new CapturedCommand(
            text,
            duration,
            rows,
            activity.GetTagItem("db.namespace") as string ?? activity.GetTagItem("db.name") as string,
            server,
            activity.GetCustomProperty(ParametersTag) as IReadOnlyList<object?>);
    }

    private sealed class Pending
    {
        public List<CapturedCommand> Commands { get; } = [];

        public List<Activity> Open { get; } = [];

        public string? Route { get; set; }

        public bool Measured { get; set; }

        public bool Final { get; set; }
    }
}
