using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>
/// WebSocket steps against a real app, in memory and over Kestrel: connect time, round trips and pushed messages as
/// routes, the user's cookies on the upgrade, messages counted per second, and each failure with its own kind.
/// </summary>
public sealed class WebSocketStepTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static LoadOptions Quick => new() { Warmup = TimeSpan.Zero };

    /// <summary>Logs in (a cookie), connects to the room, is welcomed by name, then sends and gets its echo.</summary>
    private static readonly Scenario Room = Scenario.Create("room")
        .Setup(async (user, ct) => (await user.Http.PostAsync(new Uri($"/login/u{user.Id}", UriKind.Relative), null, ct)).EnsureSuccessStatusCode())
        .WebSocketConnect("connect", "/ws/room", _ => new Dictionary<string, string> { ["X-Client"] = "perf" })
        .WebSocketReceive("welcome", m => m.StartsWith("welcome u", StringComparison.Ordinal))
        .WebSocketRoundTrip("echo", u => $"hello {u.Iteration}", m => m.StartsWith("echo hello", StringComparison.Ordinal))
        .WebSocketClose("close");

    [Fact]
    public async Task Connect_push_round_trip_and_close_are_routes_in_memory_with_the_users_cookies()
    {
        await using var app = await StartAsync(kestrel: false);

        var report = await Load.RunAsync(app.Target, Room, LoadProfile.Iterations(3, 5), Quick, Cancel);

        report.Routes.Select(r => (r.Name, r.Count, r.Errors)).Should().Equal(("connect", 15L, 0L), ("welcome", 15L, 0L), ("echo", 15L, 0L), ("close", 15L, 0L));
        report.Metrics.Single(m => m.Name == UserWebSocket.MessagesSentMetric).Sum.Should().Be(15);
        report.Metrics.Single(m => m.Name == UserWebSocket.MessagesReceivedMetric).Sum.Should().Be(30, "a welcome and an echo per iteration");
        app.Headers.Should().OnlyContain(h => h == "perf");
    }

    [Fact]
    public async Task The_same_scenario_runs_over_kestrel_sockets()
    {
        await using var app = await StartAsync(kestrel: true);

        var report = await Load.RunAsync(app.Target, Room, LoadProfile.Iterations(2, 5), Quick, Cancel);

        report.Target.Should().StartWith("external http://127.0.0.1:");
        report.Routes.Select(r => (r.Name, r.Count, r.Errors)).Should().Equal(("connect", 10L, 0L), ("welcome", 10L, 0L), ("echo", 10L, 0L), ("close", 10L, 0L));
        report.Route("echo").Latency.P50.Should().BePositive();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failures_are_errors_of_their_own_kind(bool kestrel)
    {
        await using var app = await StartAsync(kestrel);
        var scenario = Scenario.Create("faults")
            .WebSocketConnect("unauthorised", "/ws/room")
            .WebSocketConnect("connect", "/ws/echo")
            .WebSocketRoundTrip("unanswered", _ => "silence", m => m == "never", TimeSpan.FromMilliseconds(200))
            .WebSocketSend("after timeout", _ => "hello")
            .WebSocketConnect("again", "/ws/echo")
            .WebSocketRoundTrip("kicked", _ => "close-me", _ => true);

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(1, 2), Quick, Cancel);

        string Kind(string route) => report.Route(route).ErrorsByKind.Keys.Single();
        Kind("unauthorised").Should().Be("websocket connect failed (HTTP 401)");
        report.Route("connect").Errors.Should().Be(0);
        Kind("unanswered").Should().Be("websocket receive timeout");
        Kind("after timeout").Should().Be("websocket not connected", "a receive that timed out aborts the socket");
        Kind("kicked").Should().Be("websocket closed by server");
    }

    [Fact]
    public async Task A_socket_step_without_a_connection_or_a_capable_target_says_what_to_do()
    {
        await using var app = await StartAsync(kestrel: false);
        var unconnected = Scenario.Create("unconnected").WebSocketSend("send", _ => "hi");

        var report = await Load.RunAsync(app.Target, unconnected, LoadProfile.Iterations(1, 1), Quick, Cancel);
        var factoryTarget = LoadTarget.FromClientFactory("custom client", () => new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/") });
        var refused = () => Load.RunAsync(factoryTarget, unconnected, LoadProfile.Iterations(1, 1), Quick, Cancel);
        var invalid = () => Load.RunAsync(app.Target, Scenario.Create("bad").WebSocketConnect("connect", "ws/room").WebSocketReceive("wait", _ => true, TimeSpan.Zero), LoadProfile.Iterations(1, 1), Quick, Cancel);

        report.Route("send").ErrorsByKind.Keys.Should().Equal("websocket not connected");
        (await refused.Should().ThrowAsync<PerfConfigurationException>()).Which.Message.Should().Contain(
            "Step 'send' of scenario 'unconnected' uses a WebSocket, but the target (custom client) cannot open one: a target from a client factory has no server address to upgrade. Use LoadTarget.InMemory, LoadTarget.Kestrel or LoadTarget.External.");
        (await invalid.Should().ThrowAsync<PerfConfigurationException>()).Which.Message.Should()
            .Contain("Step 'connect' of scenario 'bad' opens a WebSocket on 'ws/room'; give a path relative to the target that starts with '/', e.g. \"/events/1/room\".")
            .And.Contain("Step 'wait' of scenario 'bad' waits 0 ms for a message; give a timeout greater than zero, or leave it out for 5 s.");
    }

    private static async Task<SocketApp> StartAsync(bool kestrel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (kestrel)
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        var app = builder.Build();
        var headers = new System.Collections.Concurrent.ConcurrentBag<string>();
        app.UseWebSockets();
        app.MapPost("/login/{id}", (HttpContext c, string id) =>
        {
            c.Response.Cookies.Append("user", id);
            return Results.Ok();
        });
        app.Map("/ws/room", async context =>
        {
            if (context.Request.Cookies["user"] is not { } user)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            headers.Add(context.Request.Headers["X-Client"].ToString());
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await SendAsync(socket, $"welcome {user}", context.RequestAborted);
            await EchoAsync(socket, context.RequestAborted);
        });
        app.Map("/ws/echo", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await EchoAsync(socket, context.RequestAborted);
        });
        await app.StartAsync(Cancel);
        var target = kestrel
            ? LoadTarget.External(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()))
            : LoadTarget.InMemory(app.GetTestServer());
        return new SocketApp(app, target, headers);
    }

    /// <summary>Echoes each message; "silence" gets no answer, "close-me" closes the socket from the server.</summary>
    private static async Task EchoAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                    return;
                }

                var message = Encoding.UTF8.GetString(buffer, 0, result.Count);
                if (message == "close-me")
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "kicked", cancellationToken);
                    return;
                }

                if (message != "silence")
                {
                    await SendAsync(socket, "echo " + message, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away (an aborted receive, the end of the run).
        }
    }

    private static Task SendAsync(WebSocket socket, string message, CancellationToken cancellationToken)
        => socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private sealed class SocketApp(WebApplication app, ILoadTarget target, System.Collections.Concurrent.ConcurrentBag<string> headers) : IAsyncDisposable
    {
        public ILoadTarget Target => target;

        public IReadOnlyCollection<string> Headers => headers;

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
