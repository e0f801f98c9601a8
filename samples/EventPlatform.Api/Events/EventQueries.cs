using Npgsql;

namespace EventPlatform.Api.Events;

/// <summary>An event as the API shows it.</summary>
/// <param name="Id">The event's id.</param>
/// <param name="Title">What it is.</param>
/// <param name="StartsAt">When it starts.</param>
/// <param name="Capacity">Its seats.</param>
/// <param name="RsvpCount">Seats taken.</param>
/// <param name="Version">Bumped by every RSVP and cancellation.</param>
public sealed record EventView(int Id, string Title, DateTimeOffset StartsAt, int Capacity, int RsvpCount, long Version)
{
    /// <summary>Seats left.</summary>
    public int Remaining => Capacity - RsvpCount;
}

/// <summary>Reads events: the upcoming ones by start, and one by id.</summary>
internal sealed class EventQueries(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, title, starts_at, capacity, rsvp_count, version";

    public async Task<IReadOnlyList<EventView>> UpcomingAsync(DateTimeOffset from, int take, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM events WHERE starts_at >= $1 ORDER BY starts_at, id LIMIT $2");
        command.Parameters.Add(new() { Value = from.UtcDateTime });
        command.Parameters.Add(new() { Value = take });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<EventView>(take);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }

        return events;
    }

    public async Task<EventView?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM events WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static EventView Read(NpgsqlDataReader reader)
        => new(reader.GetInt32(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt64(5));
}
