using System.Collections.Concurrent;
using System.Diagnostics;

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

    private readonly ConcurrentDictionary<ActivityTraceId, List<CapturedCommand>> _inFlight = new();
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private readonly ActivityListener _listener;
    private readonly ConnectionPoolMonitor _pool;
    private readonly IDisposable _registration;
    private long _late;
    private int _disposed;

    private QueryCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is NpgsqlSource or AspNetCoreSource,
            Sample = Sample,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
        _pool = new ConnectionPoolMonitor(TimeSpan.FromMilliseconds(50));
        _registration = RequestObservation.Register(this);
    }

    /// <summary>
    /// Starts capturing for the load runs that follow in this async flow (the test body, or the block
    /// that owns the returned capture). Dispose it to stop.
    /// </summary>
    public static QueryCapture Start() => new();

    /// <summary>The measured requests captured so far, each with its commands.</summary>
    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    /// <summary>Commands that finished after their request had completed (fire-and-forget work), not attributed.</summary>
    public long LateCommands => Interlocked.Read(ref _late);

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

    void IRequestObserver.RequestStarting(ActivityTraceId traceId) => _inFlight.TryAdd(traceId, []);

    void IRequestObserver.RequestCompleted(string route, ActivityTraceId traceId, bool measured)
    {
        if (!_inFlight.TryRemove(traceId, out var commands))
        {
            return;
        }

        if (measured)
        {
            lock (commands)
            {
                _requests.Enqueue(new CapturedRequest(route, [.. commands]));
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

    private void OnStopped(Activity activity)
    {
        if (activity.Source.Name != NpgsqlSource)
        {
            return;
        }

        var text = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string;
        if (text is null)
        {
            return;
        }

        var rows = activity.GetTagItem("db.npgsql.rows") switch
        {
            long l => l,
            int i => i,
            ulong u => (long)u,
            _ => (long?)null,
        };
        var server = activity.GetTagItem("server.address") is string host
            ? $"{host}:{activity.GetTagItem("server.port") ?? 5432}"
            : null;
        var command = new CapturedCommand(
            text,
            activity.Duration,
            rows,
            activity.GetTagItem("db.namespace") as string ?? activity.GetTagItem("db.name") as string,
            server,
            activity.GetCustomProperty(ParametersTag) as IReadOnlyList<object?>);
        if (_inFlight.TryGetValue(activity.TraceId, out var commands))
        {
            lock (commands)
            {
                commands.Add(command);
            }
        }
        else
        {
            Interlocked.Increment(ref _late);
        }
    }
}
