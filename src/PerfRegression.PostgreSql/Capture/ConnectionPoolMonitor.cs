using System.Diagnostics.Metrics;

namespace PerfRegression.PostgreSql;

/// <summary>What Npgsql's connection pools went through during a capture.</summary>
/// <param name="MaxConnectionsInUse">The most connections in use at once (sampled).</param>
/// <param name="MaxPoolSize">The pool's configured maximum, when reported.</param>
/// <param name="MaxPendingRequests">The most requests waiting for a connection at once: above zero means the pool ran out.</param>
/// <param name="Timeouts">Requests that gave up waiting for a connection.</param>
public sealed record ConnectionPoolStatistics(long MaxConnectionsInUse, long? MaxPoolSize, long MaxPendingRequests, long Timeouts)
{
    /// <summary>Whether any request had to wait for a connection, or gave up.</summary>
    public bool Exhausted => MaxPendingRequests > 0 || Timeouts > 0;
}

/// <summary>
/// Listens to Npgsql's meter (connection counts by state, pending requests, timeouts) for the length of a
/// capture. Observable instruments are polled by a timer; counters arrive as they change.
/// </summary>
internal sealed class ConnectionPoolMonitor : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Timer _poll;
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _maxUsed;
    private long? _maxPool;
    private long _maxPending;
    private long _timeouts;

    public ConnectionPoolMonitor(TimeSpan pollInterval)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is "db.client.connection.count" or "db.client.connection.max"
                or "db.client.connection.npgsql.pending_requests" or "db.client.connection.npgsql.timeouts" or "db.client.connection.pending_requests"
                or "db.client.connection.timeouts")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => OnMeasurement(i, v, t, s));
        _listener.Start();
        _poll = new Timer(_ => _listener.RecordObservableInstruments(), null, pollInterval, pollInterval);
    }

    public ConnectionPoolStatistics Snapshot()
    {
        _listener.RecordObservableInstruments();
        lock (_gate)
        {
            return new ConnectionPoolStatistics(_maxUsed, _maxPool, _maxPending, _timeouts);
        }
    }

    public void Dispose()
    {
        _poll.Dispose();
        _listener.Dispose();
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? poolState = null;
        string pool = string.Empty;
        foreach (var tag in tags)
        {
            if (tag.Key == "db.client.connection.state")
            {
                poolState = tag.Value as string;
            }
            else if (tag.Key == "db.client.connection.pool.name")
            {
                pool = tag.Value as string ?? string.Empty;
            }
        }

        lock (_gate)
        {
            switch (instrument.Name)
            {
                case "db.client.connection.count" when poolState == "used":
                    if (instrument.IsObservable)
                    {
                        _maxUsed = Math.Max(_maxUsed, value);
                    }

                    break;
                case "db.client.connection.max":
                    _maxPool = Math.Max(_maxPool ?? 0, value);
                    break;
                case "db.client.connection.npgsql.pending_requests" or "db.client.connection.pending_requests":
                    // An up-down counter reports changes; an observable one reports the level.
                    var level = instrument.IsObservable ? value : (_pending[pool] = _pending.GetValueOrDefault(pool) + value);
                    _maxPending = Math.Max(_maxPending, level);
                    break;
                case "db.client.connection.npgsql.timeouts" or "db.client.connection.timeouts":
                    _timeouts = instrument.IsObservable ? Math.Max(_timeouts, value) : _timeouts + value;
                    break;
            }
        }
    }
}
