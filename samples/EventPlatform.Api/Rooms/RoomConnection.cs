using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace EventPlatform.Api.Rooms;

/// <summary>
/// One member's socket in a room: a receive loop that reads chat messages and a send loop that drains the connection's
/// queue (a WebSocket allows one send at a time). A reader that falls more than <see cref="QueueLimit"/> messages behind
/// misses the newer ones, counted and logged when it leaves, rather than slowing the room down.
/// </summary>
internal sealed partial class RoomConnection(Room room, int memberId, WebSocket socket, ILogger logger)
{
    /// <summary>The most messages queued for one connection.</summary>
    public const int QueueLimit = 1_000;

    // Chat messages are small; a longer frame is refused instead of buffered without bound.
    private const int MaxMessageBytes = 4 * 1024;

    private readonly Channel<string> _outbox = Channel.CreateBounded<string>(
        new BoundedChannelOptions(QueueLimit) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long _dropped;

    public void Enqueue(string message)
    {
        if (!_outbox.Writer.TryWrite(message))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Runs until the client closes, the socket fails or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sending = SendAsync(cancellationToken);
        try
        {
            await ReceiveAsync(cancellationToken);
        }
        catch (WebSocketException ex)
        {
            LogSocketFailed(logger, room.EventId, memberId, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping or the client went away.
        }
        finally
        {
            room.Leave(this);
            _outbox.Writer.TryComplete();
        }

        await sending;
        if (socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }

        if (Interlocked.Read(ref _dropped) is > 0 and var dropped)
        {
            LogDropped(logger, room.EventId, memberId, dropped);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == MaxMessageBytes)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"A message is at most {MaxMessageBytes} bytes.", cancellationToken);
                        return;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length, MaxMessageBytes - length), cancellationToken);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    Enqueue(RoomMessages.Error("The room reads text frames of JSON only."));
                    continue;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, length);
                if (RoomMessages.TryReadChat(text, out var chat, out var problem))
                {
                    room.Broadcast(RoomMessages.Chat(chat.Id, memberId, chat.Text));
                }
                else
                {
                    Enqueue(RoomMessages.Error(problem));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(cancellationToken))
            {
                if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                {
                    return;
                }

                await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The socket closed under a send; the receive loop ends the connection.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The room of event {EventId} dropped {Dropped} messages for member {MemberId}, who read too slowly.")]
    private static partial void LogDropped(ILogger logger, int eventId, int memberId, long dropped);

    [LoggerMessage(Level = LogLevel.Information, Message = "The socket of member {MemberId} in the room of event {EventId} failed: {Reason}")]
    private static partial void LogSocketFailed(ILogger logger, int eventId, int memberId, string reason);
}
