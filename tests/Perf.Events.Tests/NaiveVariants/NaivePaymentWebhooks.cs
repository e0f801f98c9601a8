using EventPlatform.Api.Webhooks;
using Npgsql;

namespace Perf.Events.Tests.NaiveVariants;

/// <summary>
/// A payment webhook that records each delivery's id but never asks whether it was new: the insert skips a known id
/// (ON CONFLICT DO NOTHING) and the code goes on to credit the member anyway, so a provider's replay pays twice. The
/// webhook test must catch it.
/// </summary>
internal sealed class NaivePaymentWebhooks(NpgsqlDataSource dataSource) : IPaymentWebhooks
{
    public async Task<WebhookOutcome> ProcessAsync(WebhookEvent delivery, CancellationToken cancellationToken)
    {
        await using (var record = dataSource.CreateCommand("INSERT INTO webhook_deliveries (event_id, type, received_at) VALUES ($1, $2, now()) ON CONFLICT (event_id) DO NOTHING"))
        {
            record.Parameters.Add(new() { Value = delivery.Id! });
            record.Parameters.Add(new() { Value = delivery.Type! });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var credit = dataSource.CreateCommand(
            "WITH credited AS (UPDATE members SET paid_cents = paid_cents + $2 WHERE id = $1 RETURNING id) "
            + "INSERT INTO payments (webhook_event_id, member_id, amount_cents, created_at) SELECT $3, id, $2, now() FROM credited");
        credit.Parameters.Add(new() { Value = delivery.Data!.MemberId });
        credit.Parameters.Add(new() { Value = delivery.Data.AmountCents });
        credit.Parameters.Add(new() { Value = delivery.Id! });
        return await credit.ExecuteNonQueryAsync(cancellationToken) == 0 ? WebhookOutcome.UnknownMember : WebhookOutcome.Processed;
    }
}
