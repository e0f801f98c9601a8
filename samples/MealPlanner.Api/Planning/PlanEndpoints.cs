using Microsoft.AspNetCore.Http.HttpResults;

namespace MealPlanner.Api.Planning;

/// <summary><c>GET /plan?week=YYYY-MM-DD</c>: the week's calendar.</summary>
public static class PlanEndpoints
{
    /// <summary>Maps the planning endpoints.</summary>
    public static IEndpointRouteBuilder MapPlanning(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/plan").WithTags("Planning").MapGet("/", GetAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<WeekPlan>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string? week, WeekPlanService plans, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Week.TryParse(week, Week.Today(time), out var monday, out var problem))
        {
            return ApiProblems.Invalid("week", problem);
        }

        return await plans.GetAsync(monday, cancellationToken) is { } plan
            ? TypedResults.Ok(plan)
            : TooFewRecipes();
    }

    /// <summary>The answer when the catalogue cannot fill a week under the planning rules.</summary>
    internal static ProblemHttpResult TooFewRecipes()
        => ApiProblems.Conflict(
            "Too few recipes to plan the week.",
            $"A week needs 7 different recipes of each meal type, 5 of them ready in at most {WeekPlanner.WeekdayMaxPrepMinutes} minutes. Add recipes to the catalogue.");
}
