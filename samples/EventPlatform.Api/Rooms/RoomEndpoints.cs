using EventPlatform.Api.Events;
using EventPlatform.Api.Members;

namespace EventPlatform.Api.Rooms;

/// <summary>
/// <c>GET /events/{id}/room</c>: the event's real-time room over a WebSocket (bearer token required). A request that is
/// not a WebSocket upgrade is answered 400, a missing token 401 and an unknown event 404, all before the upgrade.
/// </summary>
internal static class RoomEndpoints
{
    public static IEndpointRouteBuilder MapRooms(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/events/{id:int}/room", JoinAsync);
        return endpoints;
    }

    private static async Task<IResult> JoinAsync(
        int id, HttpContext context, MemberTokens tokens, EventQueries events, EventRooms rooms, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(
                "Open the room with a WebSocket upgrade (ws:// or wss://) to this path.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "The room is a WebSocket.");
        }

        if (tokens.Authenticate(context.Request, out var problem) is not { } memberId)
        {
            return ApiProblems.Unauthorized("Sign in to join the room.", problem);
        }

        if (await events.FindAsync(id, context.RequestAborted) is not { } found)
        {
            return ApiProblems.NotFound("No such event.", $"No event has the id {id}.");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var room = rooms.Get(id);
        var connection = new RoomConnection(room, memberId, socket, loggers.CreateLogger<RoomConnection>());
        room.Join(connection, new SeatCount(found.Id, found.RsvpCount, found.Capacity, found.Version));
        await connection.RunAsync(stop.Token);
        return Results.Empty;
    }
}
