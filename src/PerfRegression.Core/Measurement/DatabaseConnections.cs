using System.Diagnostics.Metrics;

namespace PerfRegression.Measurement;

/// <summary>
/// The database connections this process's clients hold (open, idle or in use, in every pool), from the OpenTelemetry
/// semantic-convention instrument the maintained .NET clients publish: <c>db.client.connection.count</c> (current
/// conventions) or <c>db.client.connections.usage</c> (Npgsql 8). A soak reads it to tell a connection leak.
/// </summary>
internal static class DatabaseConnections
{
    private static readonly string[] InstrumentNames = ["db.client.connection.count", "db.client.connections.usage"];
    private static readonly object Gate = new();
    private static MeterListener? _listener;
    private static int _instruments;
    private static long _sum;

    /// <summary>The connections held now; <see langword="null"/> while no database client in this process publishes the instrument.</summary>
    public static long? Read()
    {
        lock (Gate)
        {
            EnsureListening();
            if (_instruments == 0)
            {
                return null;
            }

            _sum = 0;
            _listener!.RecordObservableInstruments();
            return _sum;
        }
    }

    private static void EnsureListening()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (InstrumentNames.Contains(instrument.Name, StringComparer.Ordinal))
                {
                    Interlocked.Increment(ref _instruments);
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => _sum += value);
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => _sum += value);
        listener.Start();
        _listener = listener;
    }
}
