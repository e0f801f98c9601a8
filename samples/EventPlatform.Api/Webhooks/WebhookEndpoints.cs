using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EventPlatform.Api.Webhooks;

/// <summary>The answer to a processed delivery.</summary>
/// <param name="EventId">The provider's event id, now processed.</param>
public sealed record WebhookAccepted(string EventId);

/// <summary>
/// <c>POST /webhooks/payments</c>: the payment provider's signed deliveries. 202 when processed, 401 for a missing, stale
/// or wrong signature, 400 for a body that is not a valid event, 409 for an event id processed before (a replay changes
/// nothing, so the provider may stop retrying).
/// </summary>
internal static class WebhookEndpoints
{
    /// <summary>The largest body read; a provider's event is a few hundred bytes.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/webhooks/payments", ReceiveAsync);
        return endpoints;
    }

    private static async Task<Results<Accepted<WebhookAccepted>, ProblemHttpResult, ValidationProblem>> ReceiveAsync(
        HttpRequest request, IOptions<WebhookOptions> options, TimeProvider clock, IPaymentWebhooks webhooks, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return ApiProblems.Invalid("body", $"The body is {request.ContentLength} bytes; a delivery is at most {MaxBodyBytes}.");
        }

        // The signature covers the exact bytes sent, so the body is read as text before it is parsed.
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var settings = options.Value;
        if (!WebhookSignature.Verify(settings.SigningSecret!, request.Headers[WebhookSignature.HeaderName], body, clock.GetUtcNow(), settings.Tolerance, out var problem))
        {
            return ApiProblems.Unauthorized("The webhook's signature is not valid.", problem);
        }

        WebhookEvent? delivery;
        try
        {
            delivery = JsonSerializer.Deserialize<WebhookEvent>(body, Json);
        }
        catch (JsonException ex)
        {
            return ApiProblems.Invalid("body", $"The body is not a JSON event: {ex.Message}");
        }

        if (Validate(delivery) is { } invalid)
        {
            return invalid;
        }

        return await webhooks.ProcessAsync(delivery!, cancellationToken) switch
        {
            WebhookOutcome.Processed => TypedResults.Accepted((string?)null, new WebhookAccepted(delivery!.Id!)),
            WebhookOutcome.Replay => ApiProblems.Conflict(
                ApiProblems.WebhookReplay,
                "This event was processed before.",
                $"The event '{delivery!.Id}' was delivered and processed earlier; this delivery changed nothing.",
                new Dictionary<string, object?> { ["eventId"] = delivery.Id }),
            _ => ApiProblems.Invalid("data.memberId", $"No member has the id {delivery!.Data!.MemberId}; nothing was recorded."),
        };
    }

    private static ValidationProblem? Validate(WebhookEvent? delivery) => delivery switch
    {
        null => ApiProblems.Invalid("body", "The body is empty; send the provider's event as a JSON object."),
        { Id: null or "" } or { Id.Length: > 100 } => ApiProblems.Invalid("id", "An event needs an 'id' of 1 to 100 characters (the provider's event id)."),
        { Type: null or "" } => ApiProblems.Invalid("type", "An event needs a 'type', e.g. 'payment.succeeded'."),
        { Type: PaymentWebhooks.PaymentSucceeded, Data: null } => ApiProblems.Invalid("data", "A payment.succeeded event needs 'data' with 'memberId' and 'amountCents'."),
        { Type: PaymentWebhooks.PaymentSucceeded, Data.MemberId: < 1 } => ApiProblems.Invalid("data.memberId", $"memberId is {delivery.Data.MemberId}; give the paying member's id (1 or more)."),
        { Type: PaymentWebhooks.PaymentSucceeded, Data.AmountCents: < 1 } => ApiProblems.Invalid("data.amountCents", $"amountCents is {delivery.Data.AmountCents}; a payment is at least 1 cent."),
        _ => null,
    };
}
