using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EventPlatform.Api.Data;
using EventPlatform.Api.Webhooks;
using Npgsql;
using PerfRegression;
using PerfRegression.Text;

namespace Perf.Events.Tests.Correctness;

/// <summary>
/// A payment provider's deliveries as providers send them, at least once: every tenth delivery re-sends the event of
/// five deliveries earlier (same id and body, signed anew), as a provider retrying after a lost answer does.
/// <see cref="Record"/> keeps each answer (the step's check); <see cref="VerifyAsync"/> checks the database after the
/// run: every event recorded once, one payment per event, each member credited exactly what its events paid, every
/// event answered 202 once and every replay 409.
/// </summary>
/// <param name="secret">The shared secret the deliveries are signed with.</param>
/// <param name="clock">The provider's clock, for the signature's timestamp.</param>
public sealed class WebhookLedger(string secret, TimeProvider clock)
{
    /// <summary>Every how many deliveries one is a replay.</summary>
    public const int ReplayEvery = 10;

    private readonly string _run = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
    private readonly ConcurrentDictionary<string, PaymentData> _sent = new();
    private readonly ConcurrentDictionary<string, int> _processedAnswers = new();
    private long _deliveries;
    private long _replaysSent;
    private long _replaysRefused;

    /// <summary>Replays sent.</summary>
    public long ReplaysSent => Interlocked.Read(ref _replaysSent);

    /// <summary>The next delivery: a new event, or every <see cref="ReplayEvery"/>th time the event of five deliveries before.</summary>
    public HttpRequestMessage NextDelivery()
    {
        var number = Interlocked.Increment(ref _deliveries);
        var replay = number % ReplayEvery == 0;
        var eventNumber = replay ? number - 5 : number;
        var id = string.Create(CultureInfo.InvariantCulture, $"evt_{_run}_{eventNumber:D7}");
        var payment = new PaymentData(MemberId: (int)(eventNumber % SeedData.Members) + 1, AmountCents: 500 + (int)(eventNumber % 50 * 100));
        if (replay)
        {
            Interlocked.Increment(ref _replaysSent);
        }
        else
        {
            _sent[id] = payment;
        }

        var body = JsonSerializer.Serialize(new { id, type = "payment.succeeded", data = new { memberId = payment.MemberId, amountCents = payment.AmountCents } });
        return new HttpRequestMessage(HttpMethod.Post, "/webhooks/payments")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { WebhookSignature.HeaderName, WebhookSignature.Sign(secret, clock.GetUtcNow(), body) } },
        };
    }

    /// <summary>Records one answer: 202 for a processed event or 409 for a replay, each naming the event. Any other answer fails the check.</summary>
    public bool Record(StepResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Accepted:
                using (var body = JsonDocument.Parse(response.Body))
                {
                    _processedAnswers.AddOrUpdate(body.RootElement.GetProperty("eventId").GetString()!, 1, (_, n) => n + 1);
                }

                return true;
            case HttpStatusCode.Conflict when response.Body.Contains("/problems/webhook-replay", StringComparison.Ordinal):
                Interlocked.Increment(ref _replaysRefused);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The invariants over what the run left in <paramref name="database"/>.</summary>
    public async Task<IReadOnlyList<Invariant>> VerifyAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        await using (var read = database.CreateCommand("SELECT event_id FROM webhook_deliveries WHERE event_id LIKE $1"))
        {
            read.Parameters.Add(new() { Value = $"evt\\_{_run}\\_%" });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded.Add(reader.GetString(0));
            }
        }

        var payments = new Dictionary<string, int>(StringComparer.Ordinal);
        var credited = new Dictionary<int, long>();
        await using (var read = database.CreateCommand("SELECT webhook_event_id, member_id, amount_cents FROM payments WHERE webhook_event_id LIKE $1"))
        {
            read.Parameters.Add(new() { Value = $"evt\\_{_run}\\_%" });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                payments[reader.GetString(0)] = payments.GetValueOrDefault(reader.GetString(0)) + 1;
            }
        }

        var expected = _sent.Values.GroupBy(p => p.MemberId).ToDictionary(g => g.Key, g => g.Sum(p => (long)p.AmountCents));
        await using (var read = database.CreateCommand("SELECT id, paid_cents FROM members WHERE id = ANY($1)"))
        {
            read.Parameters.Add(new() { Value = expected.Keys.ToArray() });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                credited[reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

        const string Subject = "payment webhooks";
        var notRecorded = _sent.Keys.Where(id => !recorded.Contains(id)).Order(StringComparer.Ordinal).ToArray();
        var paidTwice = payments.Where(p => p.Value > 1).OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var withoutPayment = _sent.Keys.Where(id => !payments.ContainsKey(id)).Order(StringComparer.Ordinal).ToArray();
        var answeredTwice = _processedAnswers.Where(a => a.Value > 1).OrderBy(a => a.Key, StringComparer.Ordinal).ToArray();
        var miscredited = expected.Where(e => credited.GetValueOrDefault(e.Key) != e.Value).OrderBy(e => e.Key).ToArray();
        return
        [
            Invariant.None(Subject, "events sent but not recorded", notRecorded, id => id, "the app has no delivery row for these events"),
            Invariant.None(Subject, "events without a payment", withoutPayment, id => id, "a processed payment.succeeded event stored no payment"),
            Invariant.None(Subject, "events paid more than once", paidTwice, p => $"{p.Key} ({p.Value} payments)", "a replay was processed again"),
            Invariant.None(Subject, "events answered 202 twice", answeredTwice, a => $"{a.Key} ({a.Value} times)", "a replay was accepted as a new event"),
            Invariant.Equal(Subject, "events answered 202", _sent.Count, _processedAnswers.Count,
                $"{Formatting.Count(_sent.Count)} events were sent but {Formatting.Count(_processedAnswers.Count)} were answered 202"),
            Invariant.Equal(Subject, "replays answered 409", ReplaysSent, Interlocked.Read(ref _replaysRefused),
                $"{Formatting.Count(ReplaysSent)} replays were sent but {Formatting.Count(Interlocked.Read(ref _replaysRefused))} were refused as replays"),
            Invariant.None(Subject, "members credited wrongly", miscredited, e => $"member {e.Key}: {Formatting.Count(credited.GetValueOrDefault(e.Key))} cents, not {Formatting.Count(e.Value)}", "a member's credit is not the sum of its events"),
        ];
    }
}
