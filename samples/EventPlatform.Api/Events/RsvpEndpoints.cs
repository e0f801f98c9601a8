using EventPlatform.Api.Members;
using EventPlatform.Api.Rooms;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventPlatform.Api.Events;

/// <summary>The answer to an accepted RSVP.</summary>
/// <param name="RsvpId">The stored RSVP.</param>
/// <param name="EventId">The event.</param>
/// <param name="MemberId">The member.</param>
/// <param name="RsvpCount">Seats taken, this one included.</param>
/// <param name="Capacity">The event's seats.</param>
/// <param name="Version">The event's version after this RSVP; the room broadcasts this count with it.</param>
public sealed record RsvpAccepted(long RsvpId, int EventId, int MemberId, int RsvpCount, int Capacity, long Version);

/// <summary>
/// A member's RSVP to an event (bearer token required): <c>POST /events/{id}/rsvps</c> takes a seat (201; 409 when the
/// event is full or the member already has one), <c>GET</c> and <c>DELETE /events/{id}/rsvps/mine</c> read and give it back
/// (the delete answers the event's new count). Every change is broadcast to the event's room.
/// </summary>
internal static class RsvpEndpoints
{
    public static IEndpointRouteBuilder MapRsvps(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/events/{id:int}/rsvps", ReserveAsync);
        endpoints.MapGet("/events/{id:int}/rsvps/mine", FindAsync);
        endpoints.MapDelete("/events/{id:int}/rsvps/mine", CancelAsync);
        return endpoints;
    }

    private static async Task<Results<Created<RsvpAccepted>, ProblemHttpResult>> ReserveAsync(
        int id, HttpRequest request, MemberTokens tokens, IRsvpStore rsvps, EventRooms rooms, CancellationToken cancellationToken)
    {
        if (tokens.Authenticate(request, out var problem) is not { } memberId)
        {
            return ApiProblems.Unauthorized("Sign in to RSVP.", problem);
        }

        var outcome = await rsvps.ReserveAsync(id, memberId, cancellationToken);
        switch (outcome.Status)
        {
            case RsvpStatus.Accepted:
                var seats = outcome.Seats!;
                rooms.Publish(seats);
                return TypedResults.Created(
                    $"/events/{id}/rsvps/mine",
                    new RsvpAccepted(outcome.RsvpId!.Value, id, memberId, seats.Count, seats.Capacity, seats.Version));
            case RsvpStatus.EventFull:
                return ApiProblems.Conflict(
                    ApiProblems.EventFull,
                    "The event is full.",
                    $"All {outcome.Seats!.Capacity} seats of event {id} are taken; cancelled seats are offered again.",
                    new Dictionary<string, object?> { ["capacity"] = outcome.Seats.Capacity });
            case RsvpStatus.AlreadyRegistered:
                return ApiProblems.Conflict(ApiProblems.AlreadyRegistered, "You already have a seat.", $"Member {memberId} already has a seat at event {id}; one RSVP per member.");
            default:
                return ApiProblems.NotFound("No such event.", $"No event has the id {id}.");
        }
    }

    private static async Task<Results<Ok<long>, ProblemHttpResult>> FindAsync(int id, HttpRequest request, MemberTokens tokens, IRsvpStore rsvps, CancellationToken cancellationToken)
    {
        if (tokens.Authenticate(request, out var problem) is not { } memberId)
        {
            return ApiProblems.Unauthorized("Sign in to see your RSVP.", problem);
        }

        return await rsvps.FindAsync(id, memberId, cancellationToken) is { } rsvpId
            ? TypedResults.Ok(rsvpId)
            : ApiProblems.NotFound("No RSVP.", $"Member {memberId} has no seat at event {id}.");
    }

    private static async Task<Results<Ok<SeatCount>, ProblemHttpResult>> CancelAsync(
        int id, HttpRequest request, MemberTokens tokens, IRsvpStore rsvps, EventRooms rooms, CancellationToken cancellationToken)
    {
        if (tokens.Authenticate(request, out var problem) is not { } memberId)
        {
            return ApiProblems.Unauthorized("Sign in to cancel your RSVP.", problem);
        }

        if (await rsvps.CancelAsync(id, memberId, cancellationToken) is not { } seats)
        {
            return ApiProblems.NotFound("No RSVP.", $"Member {memberId} has no seat at event {id} to give back.");
        }

        rooms.Publish(seats);
        return TypedResults.Ok(seats);
    }
}
