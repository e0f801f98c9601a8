using System.Collections.Concurrent;
using EventPlatform.Api.Events;

namespace EventPlatform.Api.Rooms;

/// <summary>The live rooms, one per event with anyone in it; RSVP changes are published to the event's room.</summary>
internal sealed class EventRooms
{
    private readonly ConcurrentDictionary<int, Room> _rooms = new();

    /// <summary>The room of <paramref name="eventId"/>, opened on first use.</summary>
    public Room Get(int eventId) => _rooms.GetOrAdd(eventId, id => new Room(id));

    /// <summary>Sends the event's new seat count to everyone in its room, unless a later count was sent already.</summary>
    public void Publish(SeatCount seats)
    {
        ArgumentNullException.ThrowIfNull(seats);
        Get(seats.EventId).Publish(seats);
    }
}

/// <summary>
/// The people in one event's room. Sends go through each connection's own queue, so one slow reader never holds up
/// the rest; seat counts are sent in version order (RSVPs commit concurrently and may publish out of order, so an
/// older count than the last one sent is dropped, never shown after a newer one).
/// </summary>
internal sealed class Room(int eventId)
{
    private readonly Lock _gate = new();
    private readonly HashSet<RoomConnection> _connections = [];
    private long _version = -1;
    private string? _seats;

    public int EventId { get; } = eventId;

    /// <summary>Adds <paramref name="connection"/> and queues the newest seat count for it: <paramref name="current"/> (read on join) or a later one already sent.</summary>
    public void Join(RoomConnection connection, SeatCount current)
    {
        lock (_gate)
        {
            Remember(current);
            _connections.Add(connection);
            connection.Enqueue(_seats!);
        }
    }

    public void Leave(RoomConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    public void Publish(SeatCount seats)
    {
        lock (_gate)
        {
            if (Remember(seats))
            {
                Broadcast(_seats!);
            }
        }
    }

    public void Broadcast(string message)
    {
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                connection.Enqueue(message);
            }
        }
    }

    private bool Remember(SeatCount seats)
    {
        if (seats.Version <= _version)
        {
            return false;
        }

        _version = seats.Version;
        _seats = RoomMessages.Seats(seats);
        return true;
    }
}
