using System.Net.Http.Json;
using System.Text.Json;
using Perf.Events.Tests.Support;
using PerfRegression;

namespace Perf.Events.Tests.Performance;

/// <summary>
/// Seed 004's real-time test: 50 participants in an event's WebSocket room. Each joins (the upgrade is the route
/// <c>room-join</c>), reads the seat count the room sends on join, chats (the round trip until its own message comes
/// back, <c>chat</c>), takes or gives back a seat over HTTP and waits for the room to broadcast that change
/// (<c>rsvp-broadcast</c>), and leaves. The seed's drop rate &lt; 1% is the chat's error budget: a message that never
/// comes back within 5 s is an error.
/// </summary>
public sealed class EventRoomTests(EventsApp app) : IClassFixture<EventsApp>
{
    /// <summary>The event whose room the participants share: event 2 has 214 seats, room for all 50.</summary>
    private const int RoomEventId = 2;

    private const string Member = "member";
    private const string Seated = "seated";

    /// <summary>
    /// At most 5 s of warm-up: the room's sub-millisecond p95s differ by more than 25% from one 1-s slice to the next
    /// however warm the code is, so two slices rarely agree and the warm-up ran to its 30 s limit. With no baseline to
    /// compare with, five seconds of the room's traffic are warm enough for the absolute budgets (p95s of 0.7-10 ms
    /// against budgets of 300 and 800 ms).
    /// </summary>
    private static readonly LoadOptions RoomWarmup = new() { MaxWarmup = TimeSpan.FromSeconds(5) };

    // No baseline gate: the room's timings follow how the 50 users' broadcasts interleave more than the code. A trial
    // holds about 50 requests per route, so a p95 is the third-slowest of them: on unchanged code rsvp-broadcast's went
    // 4.3-40 ms from trial to trial, CPU and allocations per request 11% over the baseline in a first trial (a step reads
    // every broadcast that arrived while it waited), and every such trial cost four more (a 58 s test for 5 s of load).
    // The absolute budgets hold every route, the drop rate and the message rate.
    [Fact,
     RegressionGate(Enabled = false),
     LatencyBudget(p95: 300, Route = "chat", ErrorRate = 0.01),
     LatencyBudget(p95: 800, Route = "rsvp-broadcast", ErrorRate = 0.01),
     LatencyBudget(p95: 300, Route = "room-join", ErrorRate = 0.01),
     MetricBudget("ws_messages_received", MinPerSecond = 500)]
    public Task Fifty_participants_chat_and_see_seat_counts_change()
    {
        var members = new Members(app.Tokens);
        var scenario = Scenario.Create("event room")
            .Setup((user, _) =>
            {
                user.Set(Member, members.Next());
                return Task.CompletedTask;
            })
            .WebSocketConnect("room-join", $"/events/{RoomEventId}/room", user => members.Headers(user.Get<int>(Member)))
            .WebSocketReceive("room-state", IsSeatCount)
            .Step("chat", ChatAsync)
            .Step("rsvp-broadcast", (user, ct) => ChangeSeatAndWaitForBroadcastAsync(user, members, ct))
            .WebSocketClose("room-leave")
            .WithThinkTime(EventProfiles.Chatting);
        return Load.RunAsync(app.Target, scenario, EventProfiles.Room, RoomWarmup, TestContext.Current.CancellationToken);
    }

    private static long VersionOf(string seatCount)
    {
        using var message = JsonDocument.Parse(seatCount);
        return message.RootElement.GetProperty("version").GetInt64();
    }

    private static bool IsSeatCount(string message) => message.StartsWith("{\"type\":\"rsvps\"", StringComparison.Ordinal);

    /// <summary>Sends a chat message and reads until the room echoes it back (every participant gets it, the sender too).</summary>
    private static async Task ChatAsync(VirtualUser user, CancellationToken cancellationToken)
    {
        var id = $"{user.Id}-{user.Iteration}";
        var echo = $"\"id\":\"{id}\"";
        await user.WebSocket!.SendAsync(JsonSerializer.Serialize(new { type = "chat", id, text = "See you at the launch!" }), cancellationToken);
        await user.WebSocket.ReceiveUntilAsync(m => m.Contains(echo, StringComparison.Ordinal), Scenario.DefaultWebSocketTimeout, cancellationToken);
    }

    /// <summary>Takes a seat (or gives it back) and waits until the room broadcasts a count at least as new as that change.</summary>
    private static async Task ChangeSeatAndWaitForBroadcastAsync(VirtualUser user, Members members, CancellationToken cancellationToken)
    {
        var seated = user.TryGet<bool>(Seated, out var value) && value;
        using var request = new HttpRequestMessage(seated ? HttpMethod.Delete : HttpMethod.Post, seated ? $"/events/{RoomEventId}/rsvps/mine" : $"/events/{RoomEventId}/rsvps");
        request.Headers.Authorization = members.Bearer(user.Get<int>(Member));
        using var response = await user.Http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}", null, response.StatusCode);
        }

        var version = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("version").GetInt64();
        user.Set(Seated, !seated);
        await user.WebSocket!.ReceiveUntilAsync(
            m => IsSeatCount(m) && VersionOf(m) >= version,
            Scenario.DefaultWebSocketTimeout,
            cancellationToken);
    }
}
