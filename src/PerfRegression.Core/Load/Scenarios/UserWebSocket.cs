using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// A virtual user's open WebSocket, connected by a scenario's <see cref="Scenario.WebSocketConnect"/> step or by
/// <see cref="VirtualUser.ConnectWebSocketAsync"/>: text messages sent and received inside the user's steps, each
/// counted in the custom counters <see cref="MessagesSentMetric"/> and <see cref="MessagesReceivedMetric"/> (their
/// rate per second is the run's message throughput, and a <c>[MetricBudget]</c> can limit it).
/// </summary>
/// <remarks>
/// A failure is an error of the step, with a kind of its own: <c>websocket closed by server</c>,
/// <c>websocket receive timeout</c>, <c>websocket not connected</c>. A receive that times out aborts the socket (the
/// protocol cannot abandon a read halfway), so the user's later socket steps fail as not connected until it connects
/// again. Binary messages are read as UTF-8 text.
/// </remarks>
public sealed class UserWebSocket : IAsyncDisposable
{
    /// <summary>The custom counter of messages the users sent.</summary>
    public const string MessagesSentMetric = "ws_messages_sent";

    /// <summary>The custom counter of messages the users received.</summary>
    public const string MessagesReceivedMetric = "ws_messages_received";

    /// <summary>A message this long is refused instead of growing the buffer without bound.</summary>
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    private readonly WebSocket _socket;
    private readonly VirtualUser _user;

    internal UserWebSocket(WebSocket socket, VirtualUser user, string path)
    {
        _socket = socket;
        _user = user;
        Path = path;
    }

    /// <summary>The path the socket was opened on.</summary>
    public string Path { get; }

    /// <summary>The socket's state (<see cref="WebSocketState.Open"/> while usable).</summary>
    public WebSocketState State => _socket.State;

    /// <summary>Messages this socket sent.</summary>
    public long MessagesSent { get; private set; }

    /// <summary>Messages this socket received, including those a receive skipped while waiting for the one it wanted.</summary>
    public long MessagesReceived { get; private set; }

    /// <summary>Sends <paramref name="message"/> as one text message.</summary>
    public async Task SendAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfNotOpen("send");
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            throw Failed("send", ex);
        }

        MessagesSent++;
        _user.Metrics.Counter(MessagesSentMetric);
    }

    /// <summary>The next message, waiting at most <paramref name="timeout"/>.</summary>
    public Task<string> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => ReceiveUntilAsync(_ => true, timeout, cancellationToken);

    /// <summary>
    /// Reads messages until one satisfies <paramref name="until"/> and returns it, waiting at most <paramref name="timeout"/>
    /// in all: a server push (a broadcast) or the answer to what the user sent, past the messages before it.
    /// </summary>
    public async Task<string> ReceiveUntilAsync(Func<string, bool> until, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(until);
        ThrowIfNotOpen("receive");
        using var deadline = new CancellationTokenSource(timeout, TimeProvider.System);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var skipped = 0;
        while (true)
        {
            string message;
            try
            {
                message = await ReadMessageAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Every client leaves a cancelled read in a different state; aborted, the socket says plainly that it is done.
                _socket.Abort();
                throw new InvalidStepException("websocket receive timeout", $"Virtual user {_user.Id} waited {Formatting.Duration(timeout)} on {Path} without the message it wanted ({skipped} other messages arrived).");
            }

            if (until(message))
            {
                return message;
            }

            skipped++;
        }
    }

    /// <summary>Closes the socket with a normal closure and waits for the server's answer.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException ex)
            {
                throw Failed("close", ex);
            }
        }
    }

    /// <summary>Closes the socket if it is open, without waiting long for the server, and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var brief = new CancellationTokenSource(TimeSpan.FromSeconds(1), TimeProvider.System);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", brief.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server went away first: there is nothing left to close.
            }
        }

        _socket.Dispose();
    }

    private async Task<string> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= MaxMessageBytes)
                    {
                        throw new InvalidStepException("websocket message too large", $"A message on {Path} exceeded {MaxMessageBytes / (1024 * 1024)} MiB; the user's socket reads text messages for checks, not bulk data.");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                ValueWebSocketReceiveResult result;
                try
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                }
                catch (WebSocketException) when (cancellationToken.IsCancellationRequested)
                {
                    // Some clients report a cancelled read as a broken socket: it was the deadline (or the run) that ended it.
                    throw new OperationCanceledException(cancellationToken);
                }
                catch (WebSocketException ex)
                {
                    throw Failed("receive", ex);
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidStepException("websocket closed by server", $"The server closed {Path} for virtual user {_user.Id}: {_socket.CloseStatus} {_socket.CloseStatusDescription}".TrimEnd() + ".");
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    MessagesReceived++;
                    _user.Metrics.Counter(MessagesReceivedMetric);
                    return Encoding.UTF8.GetString(buffer, 0, length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ThrowIfNotOpen(string action)
    {
        if (_socket.State != WebSocketState.Open)
        {
            throw new InvalidStepException(_socket.State == WebSocketState.CloseReceived ? "websocket closed by server" : "websocket not connected", $"Virtual user {_user.Id} cannot {action} on {Path}: the socket is {_socket.State}. Connect again (a WebSocketConnect step in each iteration) after a close or a timeout.");
        }
    }

    private InvalidStepException Failed(string action, WebSocketException exception)
        => new(exception.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely ? "websocket closed by server" : $"websocket {action} failed ({exception.WebSocketErrorCode})", $"Virtual user {_user.Id} could not {action} on {Path}: {exception.Message}");
}
