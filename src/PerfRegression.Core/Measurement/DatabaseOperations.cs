using System.Diagnostics.Metrics;

namespace PerfRegression.Measurement;

/// <summary>
/// Counts the database operations of this process, and their time, from the OpenTelemetry semantic-convention
/// instrument every maintained .NET database client publishes (<c>db.client.operation.duration</c>: Npgsql,
/// Microsoft.Data.SqlClient, MySqlConnector). The count is exact and does not move with machine load, so one
/// more query per request shows in every trial. Process-wide: with an in-memory target these are the app's
/// commands (and anything else the process runs against a database at the time, such as a fixture's seeding).
/// </summary>
internal static class DatabaseOperations
{
    /// <summary>The instrument's name in the OpenTelemetry database-client conventions.</summary>
    internal const string InstrumentName = "db.client.operation.duration";

    private static readonly object Gate = new();
    private static MeterListener? _listener;
    private static long _operations;
    private static long _ticks;
    private static int _instruments;

    /// <summary>The operations and their total time so far; <see langword="null"/> while no database client in this process has published the instrument.</summary>
    public static (long Operations, TimeSpan Time)? Read()
    {
        EnsureListening();
        return Volatile.Read(ref _instruments) == 0 ? null : (Interlocked.Read(ref _operations), TimeSpan.FromTicks(Interlocked.Read(ref _ticks)));
    }

    private static void EnsureListening()
    {
        if (Volatile.Read(ref _listener) is not null)
        {
            return;
        }

        lock (Gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Name == InstrumentName)
                    {
                        Interlocked.Increment(ref _instruments);
                        l.EnableMeasurementEvents(instrument, instrument.Unit);
                    }
                },
            };
            listener.SetMeasurementEventCallback<double>(Record);
            listener.SetMeasurementEventCallback<float>((i, v, t, s) => Record(i, v, t, s));
            listener.Start();
            Volatile.Write(ref _listener, listener);
        }
    }

    private static void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        Interlocked.Increment(ref _operations);

        // The conventions give the duration in seconds; an older client may state milliseconds.
        var seconds = state is "ms" ? value / 1000 : value;
        if (double.IsFinite(seconds) && seconds >= 0)
        {
            Interlocked.Add(ref _ticks, (long)(seconds * TimeSpan.TicksPerSecond));
        }
    }
}
