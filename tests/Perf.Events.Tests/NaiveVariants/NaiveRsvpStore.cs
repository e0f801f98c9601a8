using EventPlatform.Api.Events;
using Npgsql;

namespace Perf.Events.Tests.NaiveVariants;

/// <summary>How the naive RSVP store decides there is a seat.</summary>
public enum NaiveCapacity
{
    /// <summary>It does not: the capacity check is removed, every RSVP is stored.</summary>
    Removed,

    /// <summary>It counts the stored RSVPs first and inserts when the count is below capacity: check-then-act, which concurrent requests pass together.</summary>
    CountedFirst,
}

/// <summary>
/// RSVPs as a first version often stores them: the row is inserted and the seat count left alone (the schema's CHECK
/// constraint would refuse an over-count, so the naive code does not keep one), and the capacity is either not
/// checked at all or checked by counting rows before the insert. The flash-crowd test must catch both.
/// </summary>
internal sealed class NaiveRsvpStore(NpgsqlDataSource dataSource, NaiveCapacity capacity) : IRsvpStore
{
    public async Task<RsvpOutcome> ReserveAsync(int eventId, int memberId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        int seats, taken;
        await using (var read = new NpgsqlCommand("SELECT capacity, (SELECT count(*)::int FROM rsvps WHERE event_id = $1) FROM events WHERE id = $1", connection))
        {
            read.Parameters.Add(new() { Value = eventId });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new RsvpOutcome(RsvpStatus.EventNotFound, null, null);
            }

            (seats, taken) = (reader.GetInt32(0), reader.GetInt32(1));
        }

        if (capacity == NaiveCapacity.CountedFirst && taken >= seats)
        {
            return new RsvpOutcome(RsvpStatus.EventFull, null, new SeatCount(eventId, taken, seats, taken));
        }

        await using var insert = new NpgsqlCommand(
            "INSERT INTO rsvps (event_id, member_id, created_at) VALUES ($1, $2, now()) ON CONFLICT (event_id, member_id) DO NOTHING RETURNING id", connection);
        insert.Parameters.Add(new() { Value = eventId });
        insert.Parameters.Add(new() { Value = memberId });
        return await insert.ExecuteScalarAsync(cancellationToken) is long rsvpId
            ? new RsvpOutcome(RsvpStatus.Accepted, rsvpId, new SeatCount(eventId, taken + 1, seats, taken + 1))
            : new RsvpOutcome(RsvpStatus.AlreadyRegistered, null, new SeatCount(eventId, taken, seats, taken));
    }

    public Task<SeatCount?> CancelAsync(int eventId, int memberId, CancellationToken cancellationToken)
        => throw new NotSupportedException("The naive variant only takes seats; the flash crowd never cancels.");

    public Task<long?> FindAsync(int eventId, int memberId, CancellationToken cancellationToken)
        => throw new NotSupportedException("The naive variant only takes seats.");
}
