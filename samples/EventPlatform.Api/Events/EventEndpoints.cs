using Microsoft.AspNetCore.Http.HttpResults;

namespace EventPlatform.Api.Events;

/// <summary><c>GET /events</c> (upcoming events) and <c>GET /events/{id}</c>; public.</summary>
internal static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/events", ListAsync);
        endpoints.MapGet("/events/{id:int}", GetAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<EventView>>, ValidationProblem>> ListAsync(EventQueries events, TimeProvider clock, CancellationToken cancellationToken, int take = 20)
    {
        if (take is < 1 or > 100)
        {
            return ApiProblems.Invalid("take", $"take is {take}; ask for 1 to 100 events.");
        }

        return TypedResults.Ok(await events.UpcomingAsync(clock.GetUtcNow(), take, cancellationToken));
    }

    private static async Task<Results<Ok<EventView>, ProblemHttpResult>> GetAsync(int id, EventQueries events, CancellationToken cancellationToken)
        => await events.FindAsync(id, cancellationToken) is { } found
            ? TypedResults.Ok(found)
            : ApiProblems.NotFound("No such event.", $"No event has the id {id}.");
}
