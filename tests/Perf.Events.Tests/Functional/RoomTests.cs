using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Perf.Events.Tests.Support;

namespace Perf.Events.Tests.Functional;

/// <summary>The event room: the seat count on join and after every change, chat to everyone, and refusals before the upgrade.</summary>
public sealed class RoomTests(FunctionalApp app) : IClassFixture<FunctionalApp>
{
    private const int EventId = 20;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Members_in_the_room_get_the_seat_count_on_join_and_after_each_rsvp_and_each_others_chat()
    {
        var members = new Members(app.Tokens);
        using var alice = await JoinAsync(101);
        using var bob = await JoinAsync(102);
        (await ReceiveAsync(alice, "rsvps")).GetProperty("count").GetInt32().Should().Be(0);
        (await ReceiveAsync(bob, "rsvps")).GetProperty("count").GetInt32().Should().Be(0);

        using var client = app.CreateClient();
        using var rsvp = await client.SendAsync(members.Rsvp(EventId, 103), Cancel);
        rsvp.StatusCode.Should().Be(HttpStatusCode.Created);
        foreach (var socket in new[] { alice, bob })
        {
            var seats = await ReceiveAsync(socket, "rsvps");
            seats.GetProperty("count").GetInt32().Should().Be(1);
            seats.GetProperty("eventId").GetInt32().Should().Be(EventId);
        }

        await SendAsync(alice, """{"type":"chat","id":"a1","text":"Who else is going?"}""");
        foreach (var socket in new[] { alice, bob })
        {
            var chat = await ReceiveAsync(socket, "chat");
            chat.GetProperty("id").GetString().Should().Be("a1");
            chat.GetProperty("from").GetInt32().Should().Be(101);
            chat.GetProperty("text").GetString().Should().Be("Who else is going?");
        }

        await SendAsync(bob, """{"type":"chat","id":"","text":"hi"}""");
        (await ReceiveAsync(bob, "error")).GetProperty("message").GetString().Should().Be("A chat message needs an 'id' of 1 to 100 characters, echoed back so the sender can match it.");

        await alice.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Cancel);
        alice.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public async Task The_room_refuses_before_the_upgrade_without_a_token_for_an_unknown_event_and_for_plain_http()
    {
        var client = app.CreateWebSocketClient();
        var anonymous = () => client.ConnectAsync(new Uri($"ws://localhost/events/{EventId}/room"), Cancel);
        (await anonymous.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("401");

        var unknown = () => JoinAsync(101, eventId: 999);
        (await unknown.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("404");

        using var http = app.CreateClient();
        (await Problems.ReadAsync(await http.GetAsync($"/events/{EventId}/room", Cancel), HttpStatusCode.BadRequest))
            .GetProperty("detail").GetString().Should().Be("Open the room with a WebSocket upgrade (ws:// or wss://) to this path.");
    }

    private async Task<WebSocket> JoinAsync(int memberId, int eventId = EventId)
    {
        var client = app.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = "Bearer " + app.Tokens.Issue(memberId);
        return await client.ConnectAsync(new Uri($"ws://localhost/events/{eventId}/room"), Cancel);
    }

    private static Task SendAsync(WebSocket socket, string message)
        => socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, Cancel);

    /// <summary>The next message of <paramref name="type"/>, skipping others, within 5 s.</summary>
    private static async Task<JsonElement> ReceiveAsync(WebSocket socket, string type)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            result.EndOfMessage.Should().BeTrue("the room's messages fit one frame");
            using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (message.RootElement.GetProperty("type").GetString() == type)
            {
                return message.RootElement.Clone();
            }
        }
    }
}
