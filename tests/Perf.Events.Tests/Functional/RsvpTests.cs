using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EventPlatform.Api.Data;
using Perf.Events.Tests.Support;

namespace Perf.Events.Tests.Functional;

/// <summary>RSVPs: a seat per member, never past capacity, and problem details for every refusal.</summary>
public sealed class RsvpTests(FunctionalApp app) : IClassFixture<FunctionalApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_rsvp_takes_a_seat_once_and_gives_it_back()
    {
        using var client = app.CreateClient();
        var members = new Members(app.Tokens);
        const int EventId = 10;

        using var first = await client.SendAsync(members.Rsvp(EventId, 7), Cancel);
        first.StatusCode.Should().Be(HttpStatusCode.Created, await first.Content.ReadAsStringAsync(Cancel));
        first.Headers.Location!.ToString().Should().Be("/events/10/rsvps/mine");
        var accepted = await first.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        accepted.GetProperty("memberId").GetInt32().Should().Be(7);
        accepted.GetProperty("rsvpCount").GetInt32().Should().Be(1);
        accepted.GetProperty("capacity").GetInt32().Should().Be(SeedData.Capacity(EventId));

        using var again = await client.SendAsync(members.Rsvp(EventId, 7), Cancel);
        (await Problems.ConflictAsync(again, "/already-registered")).GetProperty("detail").GetString().Should().Be("Member 7 already has a seat at event 10; one RSVP per member.");
        (await client.GetFromJsonAsync<JsonElement>($"/events/{EventId}", Cancel)).GetProperty("rsvpCount").GetInt32().Should().Be(1, "the refused second RSVP gave its seat back");

        using var mine = new HttpRequestMessage(HttpMethod.Get, $"/events/{EventId}/rsvps/mine") { Headers = { Authorization = members.Bearer(7) } };
        (await client.SendAsync(mine, Cancel)).StatusCode.Should().Be(HttpStatusCode.OK);

        using var cancel = new HttpRequestMessage(HttpMethod.Delete, $"/events/{EventId}/rsvps/mine") { Headers = { Authorization = members.Bearer(7) } };
        var released = await (await client.SendAsync(cancel, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        released.GetProperty("count").GetInt32().Should().Be(0);
        released.GetProperty("version").GetInt64().Should().BeGreaterThan(accepted.GetProperty("version").GetInt64());

        using var cancelAgain = new HttpRequestMessage(HttpMethod.Delete, $"/events/{EventId}/rsvps/mine") { Headers = { Authorization = members.Bearer(7) } };
        await Problems.ReadAsync(await client.SendAsync(cancelAgain, Cancel), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Concurrent_rsvps_fill_an_event_to_exactly_its_capacity_and_the_rest_are_told_it_is_full()
    {
        using var client = app.CreateClient();
        var members = new Members(app.Tokens);
        var (eventId, capacity) = Enumerable.Range(3, SeedData.Events - 2).Select(id => (Id: id, Capacity: SeedData.Capacity(id))).MinBy(e => e.Capacity);

        var answers = await Task.WhenAll(Enumerable.Range(1, capacity + 10).Select(async member =>
        {
            using var response = await client.SendAsync(members.Rsvp(eventId, member), Cancel);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Cancel));
        }));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).Should().Be(capacity);
        answers.Where(a => a.StatusCode != HttpStatusCode.Created).Should().HaveCount(10).And.OnlyContain(a => a.StatusCode == HttpStatusCode.Conflict && a.Body.Contains("/problems/event-full", StringComparison.Ordinal));
        (await client.GetFromJsonAsync<JsonElement>($"/events/{eventId}", Cancel)).GetProperty("remaining").GetInt32().Should().Be(0);

        using var late = await client.SendAsync(members.Rsvp(eventId, capacity + 11), Cancel);
        var full = await Problems.ConflictAsync(late, "/event-full");
        full.GetProperty("capacity").GetInt32().Should().Be(capacity);
        full.GetProperty("detail").GetString().Should().Be($"All {capacity} seats of event {eventId} are taken; cancelled seats are offered again.");
    }

    [Fact]
    public async Task An_rsvp_without_a_genuine_token_is_refused_with_401()
    {
        using var client = app.CreateClient();

        using var anonymous = await client.PostAsync("/events/1/rsvps", null, Cancel);
        (await Problems.ReadAsync(anonymous, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString().Should().Be("Send the member's token as 'Authorization: Bearer <token>'.");

        var forged = app.Tokens.Issue(5).Replace("5.", "6.", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events/1/rsvps") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", forged) } };
        (await Problems.ReadAsync(await client.SendAsync(request, Cancel), HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()
            .Should().Be("The bearer token is not one this platform issued; sign in again for a new one.");
    }

    [Fact]
    public async Task Unknown_events_are_404_and_a_bad_page_size_is_400()
    {
        using var client = app.CreateClient();
        var members = new Members(app.Tokens);

        await Problems.ReadAsync(await client.SendAsync(members.Rsvp(999, 1), Cancel), HttpStatusCode.NotFound);
        await Problems.ReadAsync(await client.GetAsync("/events/999", Cancel), HttpStatusCode.NotFound);
        (await Problems.InvalidAsync(await client.GetAsync("/events?take=0", Cancel), "take")).Should().Be("take is 0; ask for 1 to 100 events.");

        var launch = await client.GetFromJsonAsync<JsonElement>("/events/1", Cancel);
        launch.GetProperty("title").GetString().Should().Be("Season launch night");
        launch.GetProperty("capacity").GetInt32().Should().Be(SeedData.LaunchCapacity);
    }
}
