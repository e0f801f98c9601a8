using System.Diagnostics.Metrics;

namespace PerfRegression.Measurement;

/// <summary>
/// The database connection pools of this process's clients, from the OpenTelemetry semantic-convention instruments
/// the maintained .NET clients publish (current names and Npgsql 8's): the connections held (open, idle or in use, in
/// every pool), which a soak reads to tell a connection leak, and the requests waiting for a connection, which names
/// an exhausted pool as a bottleneck.
/// </summary>
internal sealed class DatabaseConnections
{
    private static readonly DatabaseConnections HeldInstruments = new("db.client.connection.count", "db.client.connections.usage");
    private static readonly DatabaseConnections PendingInstruments = new("db.client.connection.pending_requests", "db.client.connection.npgsql.pending_requests", "db.client.connections.pending_requests");

    private readonly string[] _names;
    private readonly Lock _lock = new();
    private MeterListener? _listener;
    private int _instruments;
    private long _sum;
    private long _running;

    private DatabaseConnections(params string[] names) => _names = names;

    /// <summary>
    /// Starts listening, if not yet: the requests waiting for a connection are published as changes, so they are
    /// counted right only from a moment when none waited, before a run's first request.
    /// </summary>
    public static void Listen()
    {
        HeldInstruments.Observe();
        PendingInstruments.Observe();
    }

    /// <summary>The connections held now; <see langword="null"/> while no database client in this process publishes the instrument.</summary>
    public static long? Read() => HeldInstruments.Observe();

    /// <summary>The requests waiting for a pooled connection now (Npgsql 10 publishes it under its own name); <see langword="null"/> while no database client publishes the instrument.</summary>
    public static long? ReadPending() => PendingInstruments.Observe();

    private long? Observe()
    {
        lock (_lock)
        {
            EnsureListening();
            if (Volatile.Read(ref _instruments) == 0)
            {
                return null;
            }

            _sum = 0;
            _listener!.RecordObservableInstruments();

            // A synchronous up-down counter reports changes, counted since listening began: never below zero.
            return _sum + Math.Max(0, Interlocked.Read(ref _running));
        }
    }

    private void Add(Instrument instrument, long value)
    {
        if (instrument.IsObservable)
        {
            _sum += value;
        }
        else
        {
            Interlocked.Add(ref _running, value);
        }
    }

    private void EnsureListening()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (_names.Contains(instrument.Name, StringComparer.Ordinal))
                {
                    Interlocked.Increment(ref _instruments);
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        // Observable instruments report their level when asked (under the lock); synchronous ones each change as it happens.
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument, value));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument, value));
        listener.Start();
        _listener = listener;
    }
}
