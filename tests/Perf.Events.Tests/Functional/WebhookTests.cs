using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EventPlatform.Api.Webhooks;
using Perf.Events.Tests.Support;

namespace Perf.Events.Tests.Functional;

/// <summary>The payment webhook: signed, processed once per event id, and problem details for everything else.</summary>
public sealed class WebhookTests(FunctionalApp app) : IClassFixture<FunctionalApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_payment_is_credited_once_and_its_replay_is_refused_with_409()
    {
        using var client = app.CreateClient();
        var body = Payment("evt_functional_1", memberId: 42, amountCents: 2_500);

        using var first = await client.SendAsync(Delivery(body), Cancel);
        first.StatusCode.Should().Be(HttpStatusCode.Accepted, await first.Content.ReadAsStringAsync(Cancel));
        (await first.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("eventId").GetString().Should().Be("evt_functional_1");

        using var replay = await client.SendAsync(Delivery(body), Cancel);
        var problem = await Problems.ConflictAsync(replay, "/webhook-replay");
        problem.GetProperty("eventId").GetString().Should().Be("evt_functional_1");
        problem.GetProperty("detail").GetString().Should().Be("The event 'evt_functional_1' was delivered and processed earlier; this delivery changed nothing.");

        (await ScalarAsync<long>("SELECT paid_cents FROM members WHERE id = 42")).Should().Be(2_500);
        (await ScalarAsync<long>("SELECT count(*) FROM payments WHERE webhook_event_id = 'evt_functional_1'")).Should().Be(1);
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_are_processed_once()
    {
        using var client = app.CreateClient();
        var body = Payment("evt_functional_race", memberId: 43, amountCents: 700);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await client.SendAsync(Delivery(body), Cancel);
            return response.StatusCode;
        }));

        statuses.Count(s => s == HttpStatusCode.Accepted).Should().Be(1);
        statuses.Count(s => s == HttpStatusCode.Conflict).Should().Be(7);
        (await ScalarAsync<long>("SELECT paid_cents FROM members WHERE id = 43")).Should().Be(700);
    }

    [Fact]
    public async Task A_missing_wrong_or_stale_signature_is_refused_with_401()
    {
        using var client = app.CreateClient();
        var body = Payment("evt_functional_unsigned", memberId: 44, amountCents: 100);

        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "/webhooks/payments") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        (await DetailAsync(await client.SendAsync(unsigned, Cancel))).Should().Be("The Webhook-Signature header must read 't=<unix seconds>,v1=<64 hex digits>'.");

        using var wrongSecret = Delivery(body, secret: "whsec_not_the_shared_secret");
        (await DetailAsync(await client.SendAsync(wrongSecret, Cancel))).Should().Be("The signature does not match the body under the shared secret; check the secret, and sign the exact bytes sent.");

        using var stale = Delivery(body, signedAt: DateTimeOffset.UtcNow.AddMinutes(-10));
        (await DetailAsync(await client.SendAsync(stale, Cancel))).Should().MatchRegex(@"^The signature's timestamp is 60\d s from the server's clock, beyond the 300 s allowed; re-sign the delivery when sending it\.$");

        using var tampered = Delivery(body);
        tampered.Content = new StringContent(body.Replace("100", "100000", StringComparison.Ordinal), Encoding.UTF8, "application/json");
        (await DetailAsync(await client.SendAsync(tampered, Cancel))).Should().StartWith("The signature does not match the body");

        (await ScalarAsync<long>("SELECT paid_cents FROM members WHERE id = 44")).Should().Be(0);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_a_valid_event_is_refused_with_400_naming_the_field()
    {
        using var client = app.CreateClient();

        (await Problems.InvalidAsync(await client.SendAsync(Delivery("{not json"), Cancel), "body")).Should().StartWith("The body is not a JSON event: ");
        (await Problems.InvalidAsync(await client.SendAsync(Delivery("""{"type":"payment.succeeded"}"""), Cancel), "id")).Should().Be("An event needs an 'id' of 1 to 100 characters (the provider's event id).");
        (await Problems.InvalidAsync(await client.SendAsync(Delivery(Payment("evt_functional_zero", 45, 0)), Cancel), "data.amountCents")).Should().Be("amountCents is 0; a payment is at least 1 cent.");
        (await Problems.InvalidAsync(await client.SendAsync(Delivery(Payment("evt_functional_nobody", 9_999, 100)), Cancel), "data.memberId")).Should().Be("No member has the id 9999; nothing was recorded.");
        (await ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE event_id = 'evt_functional_nobody'")).Should().Be(0, "a refused event is not recorded, so the provider's corrected retry is processed");
    }

    [Fact]
    public async Task An_event_of_another_type_is_recorded_and_changes_no_balance()
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Delivery("""{"id":"evt_functional_refund","type":"payment.refunded","data":{"memberId":46,"amountCents":100}}"""), Cancel);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE event_id = 'evt_functional_refund'")).Should().Be(1);
        (await ScalarAsync<long>("SELECT paid_cents FROM members WHERE id = 46")).Should().Be(0);
    }

    private static string Payment(string id, int memberId, int amountCents)
        => JsonSerializer.Serialize(new { id, type = "payment.succeeded", data = new { memberId, amountCents } });

    private HttpRequestMessage Delivery(string body, string? secret = null, DateTimeOffset? signedAt = null) => new(HttpMethod.Post, "/webhooks/payments")
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
        Headers = { { WebhookSignature.HeaderName, WebhookSignature.Sign(secret ?? app.WebhookSecret, signedAt ?? DateTimeOffset.UtcNow, body) } },
    };

    private static async Task<string> DetailAsync(HttpResponseMessage response)
        => (await Problems.ReadAsync(response, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!;

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = app.Database.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
