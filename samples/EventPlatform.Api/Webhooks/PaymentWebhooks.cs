using Npgsql;

namespace EventPlatform.Api.Webhooks;

/// <summary>A payment provider's event, as delivered to <c>POST /webhooks/payments</c>.</summary>
/// <param name="Id">The provider's event id; deliveries with the same id are one event delivered again.</param>
/// <param name="Type">What happened: <c>payment.succeeded</c> credits the member; other types are recorded and otherwise ignored.</param>
/// <param name="Data">The payment, for <c>payment.succeeded</c>.</param>
public sealed record WebhookEvent(string? Id, string? Type, PaymentData? Data);

/// <summary>The payment of a <c>payment.succeeded</c> event.</summary>
/// <param name="MemberId">Who paid.</param>
/// <param name="AmountCents">How much, in cents.</param>
public sealed record PaymentData(int MemberId, int AmountCents);

/// <summary>What processing a delivery came to.</summary>
public enum WebhookOutcome
{
    /// <summary>The event was new and its effect is stored.</summary>
    Processed,

    /// <summary>The event id was processed before: nothing changed.</summary>
    Replay,

    /// <summary>The payment names a member who does not exist: nothing changed.</summary>
    UnknownMember,
}

/// <summary>Applies payment events exactly once per event id.</summary>
internal interface IPaymentWebhooks
{
    /// <summary>Records <paramref name="delivery"/> and applies its effect, unless its id was processed before.</summary>
    Task<WebhookOutcome> ProcessAsync(WebhookEvent delivery, CancellationToken cancellationToken);
}

/// <summary>
/// Idempotent by event id: the delivery's row in <c>webhook_deliveries</c> (its id the primary key) is written in the
/// same transaction as the payment and the member's credit. A replay finds the row and changes nothing; two concurrent
/// deliveries of one event queue on the key, and the second finds the first's row once it commits.
/// </summary>
internal sealed class PaymentWebhooks(NpgsqlDataSource dataSource, TimeProvider clock) : IPaymentWebhooks
{
    public const string PaymentSucceeded = "payment.succeeded";

    public async Task<WebhookOutcome> ProcessAsync(WebhookEvent delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var record = new NpgsqlCommand(
            "INSERT INTO webhook_deliveries (event_id, type, received_at) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING",
            connection,
            transaction))
        {
            record.Parameters.Add(new() { Value = delivery.Id! });
            record.Parameters.Add(new() { Value = delivery.Type! });
            record.Parameters.Add(new() { Value = now });
            if (await record.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return WebhookOutcome.Replay;
            }
        }

        if (delivery is { Type: PaymentSucceeded, Data: { } payment })
        {
            await using var credit = new NpgsqlCommand(
                "WITH credited AS (UPDATE members SET paid_cents = paid_cents + $2 WHERE id = $1 RETURNING id) "
                + "INSERT INTO payments (webhook_event_id, member_id, amount_cents, created_at) SELECT $3, id, $2, $4 FROM credited",
                connection,
                transaction);
            credit.Parameters.Add(new() { Value = payment.MemberId });
            credit.Parameters.Add(new() { Value = payment.AmountCents });
            credit.Parameters.Add(new() { Value = delivery.Id! });
            credit.Parameters.Add(new() { Value = now });
            if (await credit.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return WebhookOutcome.UnknownMember;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return WebhookOutcome.Processed;
    }
}
