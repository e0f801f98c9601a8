using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Npgsql;
using PerfRegression;
using PerfRegression.Text;

namespace Perf.Events.Tests.Correctness;

/// <summary>
/// What a flash crowd was told, answer by answer (<see cref="Record"/>, used as the RSVP step's check), and what the
/// database holds after it (<see cref="VerifyAsync"/>): no more RSVPs than seats, each accepted RSVP stored exactly once,
/// nothing stored that was not accepted, the seat count equal to the rows, and a refusal only once the event was full.
/// </summary>
/// <param name="eventId">The event the crowd RSVPs to.</param>
public sealed class RsvpLedger(int eventId)
{
    private readonly ConcurrentDictionary<long, int> _accepted = new();
    private readonly ConcurrentBag<long> _acceptedTwice = [];
    private int _full;

    /// <summary>The event.</summary>
    public int EventId { get; } = eventId;

    /// <summary>Refusals because the event was full.</summary>
    public int RefusedFull => Volatile.Read(ref _full);

    /// <summary>
    /// Records one answer to an RSVP for the ledger's event: 201 with its RSVP, or 409 "event full". Any other answer is not
    /// recorded, and the check fails; so does a 409 of another kind.
    /// </summary>
    public bool Record(StepResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Message?.RequestMessage?.RequestUri is { } uri && !uri.AbsolutePath.StartsWith($"/events/{EventId}/", StringComparison.Ordinal))
        {
            // The warm-up's RSVPs go to other events (VirtualUser.IsWarmingUp): not this ledger's business.
            return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict;
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.Created:
                using (var body = JsonDocument.Parse(response.Body))
                {
                    var rsvpId = body.RootElement.GetProperty("rsvpId").GetInt64();
                    if (!_accepted.TryAdd(rsvpId, body.RootElement.GetProperty("memberId").GetInt32()))
                    {
                        _acceptedTwice.Add(rsvpId);
                    }
                }

                return true;
            case HttpStatusCode.Conflict when response.Body.Contains("/problems/event-full", StringComparison.Ordinal):
                Interlocked.Increment(ref _full);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The invariants over what the run left in <paramref name="database"/>.</summary>
    public async Task<IReadOnlyList<Invariant>> VerifyAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var subject = $"event {EventId}";
        int capacity, count;
        await using (var read = database.CreateCommand("SELECT capacity, rsvp_count FROM events WHERE id = $1"))
        {
            read.Parameters.Add(new() { Value = EventId });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return [new Invariant(subject, "event exists", "1 row", "0 rows", false, $"No event {EventId} in the database; the test RSVPs to an event the seed does not have.")];
            }

            (capacity, count) = (reader.GetInt32(0), reader.GetInt32(1));
        }

        var stored = new Dictionary<long, int>();
        await using (var rows = database.CreateCommand("SELECT id, member_id FROM rsvps WHERE event_id = $1"))
        {
            rows.Parameters.Add(new() { Value = EventId });
            await using var reader = await rows.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[reader.GetInt64(0)] = reader.GetInt32(1);
            }
        }

        var lost = _accepted.Keys.Where(id => !stored.ContainsKey(id)).Order().ToArray();
        var unanswered = stored.Keys.Where(id => !_accepted.ContainsKey(id)).Order().ToArray();
        var twice = stored.GroupBy(r => r.Value).Where(g => g.Count() > 1).Select(g => (Member: g.Key, Count: g.Count())).ToArray();
        return
        [
            new(subject, "RSVPs stored ≤ capacity", "≤ " + Formatting.Count(capacity), Formatting.Count(stored.Count), stored.Count <= capacity,
                $"{Formatting.Count(stored.Count - capacity)} more RSVPs than seats were stored: the event is overbooked"),
            Invariant.Equal(subject, "seat count = RSVPs stored", stored.Count, count,
                $"the event's seat count reads {Formatting.Count(count)} but {Formatting.Count(stored.Count)} RSVPs are stored"),
            Invariant.None(subject, "accepted RSVPs not stored", lost, id => $"RSVP {id}", "answered 201 but not in the database"),
            Invariant.None(subject, "RSVPs stored but not accepted", unanswered, id => $"RSVP {id}", "in the database but the member was not told so"),
            Invariant.None(subject, "RSVPs answered 201 twice", _acceptedTwice.Distinct().Order().ToArray(), id => $"RSVP {id}", "one RSVP id was handed to two requests"),
            Invariant.None(subject, "members with two RSVPs", twice, t => $"member {t.Member} ({t.Count})", "a member holds more than one seat"),
            new(subject, "refused only when full", RefusedFull == 0 ? "any" : "= " + Formatting.Count(capacity) + " stored",
                $"{Formatting.Count(stored.Count)} stored, {Formatting.Count(RefusedFull)} refused", RefusedFull == 0 || stored.Count == capacity,
                $"{Formatting.Count(RefusedFull)} RSVPs were refused as 'event full' while {Formatting.Count(capacity - stored.Count)} seats stayed free"),
        ];
    }
}
