using PerfRegression.Text;

namespace PerfRegression;

/// <summary>WebSocket steps: each is a route of its own, timed like a request, so connect time and round trips have percentiles and budgets.</summary>
public sealed partial class Scenario
{
    /// <summary>How long a WebSocket step waits for the message it wants unless told otherwise: 5 seconds.</summary>
    public static readonly TimeSpan DefaultWebSocketTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Adds a step that opens the user's WebSocket on <paramref name="path"/> (relative to the target) with the user's
    /// cookies and the <paramref name="headers"/> given for it, closing the one it had: its route's latency is the connect
    /// time (the HTTP upgrade). A refused upgrade is an error of kind <c>websocket connect failed (HTTP 401)</c>.
    /// </summary>
    public Scenario WebSocketConnect(string name, string path, Func<VirtualUser, IReadOnlyDictionary<string, string>>? headers = null)
        => Add(new ScenarioStep(name, request: null, async (user, ct) => await user.ConnectWebSocketAsync(path, headers?.Invoke(user), ct).ConfigureAwait(false), [])
        {
            UsesWebSocket = true,
            Problem = VirtualUser.IsWebSocketPath(path) ? null : $"opens a WebSocket on '{path}'; {VirtualUser.WebSocketPathFix}",
        });

    /// <summary>Adds a step that sends the text <paramref name="message"/> builds on the user's WebSocket (counted in <see cref="UserWebSocket.MessagesSentMetric"/>).</summary>
    public Scenario WebSocketSend(string name, Func<VirtualUser, string> message)
        => Add(new ScenarioStep(name, request: null, message is null ? null : (user, ct) => Socket(user).SendAsync(message(user), ct), [])
        {
            UsesWebSocket = true,
        });

    /// <summary>
    /// Adds a step that sends the text <paramref name="message"/> builds and reads messages until one satisfies
    /// <paramref name="until"/>: its route's latency is the round trip. Waiting longer than <paramref name="timeout"/>
    /// (<see cref="DefaultWebSocketTimeout"/>) is an error of kind <c>websocket receive timeout</c>.
    /// </summary>
    public Scenario WebSocketRoundTrip(string name, Func<VirtualUser, string> message, Func<string, bool> until, TimeSpan? timeout = null)
        => Add(new ScenarioStep(name, request: null, message is null || until is null ? null : async (user, ct) =>
        {
            var socket = Socket(user);
            await socket.SendAsync(message(user), ct).ConfigureAwait(false);
            await socket.ReceiveUntilAsync(until, timeout ?? DefaultWebSocketTimeout, ct).ConfigureAwait(false);
        }, [])
        {
            UsesWebSocket = true,
            Problem = TimeoutProblem(timeout),
        });

    /// <summary>
    /// Adds a step that waits for a message satisfying <paramref name="until"/>, e.g. a broadcast the server pushes:
    /// its route's latency is the wait. Waiting longer than <paramref name="timeout"/> is an error of kind
    /// <c>websocket receive timeout</c>.
    /// </summary>
    public Scenario WebSocketReceive(string name, Func<string, bool> until, TimeSpan? timeout = null)
        => Add(new ScenarioStep(name, request: null, until is null ? null : (user, ct) => Socket(user).ReceiveUntilAsync(until, timeout ?? DefaultWebSocketTimeout, ct), [])
        {
            UsesWebSocket = true,
            Problem = TimeoutProblem(timeout),
        });

    /// <summary>Adds a step that closes the user's WebSocket with a normal closure and waits for the server's answer.</summary>
    public Scenario WebSocketClose(string name)
        => Add(new ScenarioStep(name, request: null, (user, ct) => Socket(user).CloseAsync(ct), [])
        {
            UsesWebSocket = true,
        });

    private static UserWebSocket Socket(VirtualUser user)
        => user.WebSocket ?? throw new InvalidStepException("websocket not connected", $"Virtual user {user.Id} has no WebSocket: add a WebSocketConnect step before this one, or connect in the scenario's setup with user.ConnectWebSocketAsync(\"/path\").");

    private static string? TimeoutProblem(TimeSpan? timeout)
        => timeout is { } value && value <= TimeSpan.Zero ? $"waits {Formatting.Duration(value)} for a message; give a timeout greater than zero, or leave it out for {Formatting.Duration(DefaultWebSocketTimeout)}." : null;
}
