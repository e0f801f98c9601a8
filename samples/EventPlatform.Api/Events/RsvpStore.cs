using Npgsql;

namespace EventPlatform.Api.Events;

/// <summary>
/// RSVPs in PostgreSQL. The seat is taken by one conditional UPDATE (<c>rsvp_count &lt; capacity</c>), which locks the
/// event's row, so concurrent RSVPs to one event queue there and the last seat goes to exactly one of them; the table's
/// CHECK constraint refuses an over-count whatever the code does. The RSVP row goes in the same transaction, and a
/// second RSVP by the member rolls both back.
/// </summary>
internal sealed class RsvpStore(NpgsqlDataSource dataSource, TimeProvider clock) : IRsvpStore
{
    public async Task<RsvpOutcome> ReserveAsync(int eventId, int memberId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        SeatCount? seats;
        await using (var take = new NpgsqlCommand(
            "UPDATE events SET rsvp_count = rsvp_count + 1, version = version + 1 WHERE id = $1 AND rsvp_count < capacity RETURNING rsvp_count, capacity, version",
            connection,
            transaction))
        {
            take.Parameters.Add(new() { Value = eventId });
            seats = await ReadSeatsAsync(take, eventId, cancellationToken);
        }

        if (seats is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            var current = await CurrentAsync(connection, eventId, cancellationToken);
            return new RsvpOutcome(current is null ? RsvpStatus.EventNotFound : RsvpStatus.EventFull, null, current);
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO rsvps (event_id, member_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (event_id, member_id) DO NOTHING RETURNING id",
            connection,
            transaction))
        {
            insert.Parameters.Add(new() { Value = eventId });
            insert.Parameters.Add(new() { Value = memberId });
            insert.Parameters.Add(new() { Value = clock.GetUtcNow().UtcDateTime });
            if (await insert.ExecuteScalarAsync(cancellationToken) is long rsvpId)
            {
                await transaction.CommitAsync(cancellationToken);
                return new RsvpOutcome(RsvpStatus.Accepted, rsvpId, seats);
            }
        }

        // The member already holds a seat: give back the one just taken.
        await transaction.RollbackAsync(cancellationToken);
        return new RsvpOutcome(RsvpStatus.AlreadyRegistered, null, await CurrentAsync(connection, eventId, cancellationToken));
    }

    public async Task<SeatCount?> CancelAsync(int eventId, int memberId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand("DELETE FROM rsvps WHERE event_id = $1 AND member_id = $2", connection, transaction))
        {
            delete.Parameters.Add(new() { Value = eventId });
            delete.Parameters.Add(new() { Value = memberId });
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }
        }

        await using var release = new NpgsqlCommand(
            "UPDATE events SET rsvp_count = rsvp_count - 1, version = version + 1 WHERE id = $1 RETURNING rsvp_count, capacity, version",
            connection,
            transaction);
        release.Parameters.Add(new() { Value = eventId });
        var seats = await ReadSeatsAsync(release, eventId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return seats;
    }

    public async Task<long?> FindAsync(int eventId, int memberId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM rsvps WHERE event_id = $1 AND member_id = $2");
        command.Parameters.Add(new() { Value = eventId });
        command.Parameters.Add(new() { Value = memberId });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    private static async Task<SeatCount?> CurrentAsync(NpgsqlConnection connection, int eventId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT rsvp_count, capacity, version FROM events WHERE id = $1", connection);
        command.Parameters.Add(new() { Value = eventId });
        return await ReadSeatsAsync(command, eventId, cancellationToken);
    }

    private static async Task<SeatCount?> ReadSeatsAsync(NpgsqlCommand command, int eventId, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new SeatCount(eventId, reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2)) : null;
    }
}
