using System.Text.Json;
using System.Text.Json.Serialization;
using EventPlatform.Api.Events;

namespace EventPlatform.Api.Rooms;

/// <summary>
/// The room's messages, JSON text frames. The server sends <c>{"type":"rsvps","eventId":1,"count":57,"capacity":400,"version":57}</c>
/// on join and after every RSVP change, <c>{"type":"chat","id":"…","from":12,"text":"…"}</c> for each chat message
/// (to everyone, the sender included) and <c>{"type":"error","message":"…"}</c> for a message it could not read; a
/// client sends <c>{"type":"chat","id":"…","text":"…"}</c>.
/// </summary>
internal static class RoomMessages
{
    /// <summary>The longest chat text accepted, in characters.</summary>
    public const int MaxChatLength = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Seats(SeatCount seats)
        => JsonSerializer.Serialize(new SeatsMessage("rsvps", seats.EventId, seats.Count, seats.Capacity, seats.Version), Json);

    public static string Chat(string id, int from, string text) => JsonSerializer.Serialize(new ChatMessage("chat", id, from, text), Json);

    public static string Error(string message) => JsonSerializer.Serialize(new ErrorMessage("error", message), Json);

    /// <summary>Reads a client's chat message, or says what is wrong with it.</summary>
    public static bool TryReadChat(string text, out ClientChat chat, out string problem)
    {
        chat = new ClientChat("", "", "");
        try
        {
            if (JsonSerializer.Deserialize<ClientChat>(text, Json) is not { } read)
            {
                problem = "Send a JSON object: {\"type\":\"chat\",\"id\":\"…\",\"text\":\"…\"}.";
                return false;
            }

            chat = read;
        }
        catch (JsonException)
        {
            problem = "The message is not JSON; send {\"type\":\"chat\",\"id\":\"…\",\"text\":\"…\"}.";
            return false;
        }

        problem = chat switch
        {
            { Type: not "chat" } => $"Unknown message type '{chat.Type}'; the room reads only 'chat'.",
            { Id: null or "" } or { Id.Length: > 100 } => "A chat message needs an 'id' of 1 to 100 characters, echoed back so the sender can match it.",
            { Text: null or "" } => "A chat message needs a 'text'.",
            { Text.Length: > MaxChatLength } => $"A chat message's text is at most {MaxChatLength} characters; this one has {chat.Text.Length}.",
            _ => "",
        };
        return problem.Length == 0;
    }

    private sealed record SeatsMessage(string Type, int EventId, int Count, int Capacity, long Version);

    private sealed record ChatMessage(string Type, string Id, int From, string Text);

    private sealed record ErrorMessage(string Type, string Message);
}

/// <summary>A chat message as a client sends it.</summary>
/// <param name="Type">Always <c>chat</c>.</param>
/// <param name="Id">The client's id for it, echoed back.</param>
/// <param name="Text">What it says.</param>
internal sealed record ClientChat([property: JsonRequired] string Type, string Id, string Text);
