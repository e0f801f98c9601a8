namespace EventPlatform.Api.Events;

/// <summary>An event's seat count after a change, in the order of <paramref name="Version"/>.</summary>
/// <param name="EventId">The event.</param>
/// <param name="Count">Seats taken after the change.</param>
/// <param name="Capacity">The event's seats.</param>
/// <param name="Version">The event's version after the change; a later change has a higher one.</param>
public sealed record SeatCount(int EventId, int Count, int Capacity, long Version);

/// <summary>What an RSVP came to.</summary>
public enum RsvpStatus
{
    /// <summary>The member has a seat.</summary>
    Accepted,

    /// <summary>No seat was left.</summary>
    EventFull,

    /// <summary>The member already had a seat at this event.</summary>
    AlreadyRegistered,

    /// <summary>No event has this id.</summary>
    EventNotFound,
}

/// <summary>The outcome of <see cref="IRsvpStore.ReserveAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="RsvpId">The stored RSVP's id when accepted.</param>
/// <param name="Seats">The event's count after the RSVP when accepted, or as read when refused (null for an unknown event).</param>
public sealed record RsvpOutcome(RsvpStatus Status, long? RsvpId, SeatCount? Seats);

/// <summary>RSVPs: a seat per member and event, never more seats than the event's capacity.</summary>
internal interface IRsvpStore
{
    /// <summary>Takes a seat at <paramref name="eventId"/> for <paramref name="memberId"/>, if one is left.</summary>
    Task<RsvpOutcome> ReserveAsync(int eventId, int memberId, CancellationToken cancellationToken);

    /// <summary>Gives the member's seat back; <see langword="null"/> when the member had none.</summary>
    Task<SeatCount?> CancelAsync(int eventId, int memberId, CancellationToken cancellationToken);

    /// <summary>The member's RSVP id at the event, if any.</summary>
    Task<long?> FindAsync(int eventId, int memberId, CancellationToken cancellationToken);
}
