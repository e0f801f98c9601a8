using System.Text.Json;
using MealPlanner.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MealPlanner.Api.Planning;

/// <summary>
/// The signed-in user's plans: <c>POST /plan/generate-multi-week</c>, <c>GET /plan?week=YYYY-MM-DD</c> and
/// <c>POST /plan/regenerate-week?week=YYYY-MM-DD</c>; all need a session.
/// </summary>
public static class PlanEndpoints
{
    /// <summary>Maps the planning endpoints.</summary>
    public static IEndpointRouteBuilder MapPlanning(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/plan").WithTags("Planning").RequireAuthorization();
        group.MapGet("/", GetAsync);
        group.MapPost("/generate-multi-week", GenerateAsync);
        group.MapPost("/regenerate-week", RegenerateAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<WeekPlan>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string? week, HttpContext context, PlanService plans, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Week.TryParse(week, Week.Today(time), out var monday, out var problem))
        {
            return ApiProblems.Invalid("week", problem);
        }

        return await plans.GetWeekAsync(context.User.Id(), monday, cancellationToken) is { } plan
            ? TypedResults.Ok(plan)
            : NoPlan(monday);
    }

    private static async Task<Results<Ok<PlanSummary>, ValidationProblem, ProblemHttpResult>> GenerateAsync(
        HttpContext context, PlanService plans, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = Week.Today(time);
        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, cancellationToken);
        using (body)
        {
            if (problem is not null)
            {
                return ApiProblems.Invalid("body", problem);
            }

            var start = Week.MondayOf(today);
            var weeks = PlanRules.DefaultWeeks;
            if (body is not null)
            {
                if (JsonBody.UnknownProperties(body.RootElement, "startWeek", "weeks") is { } unknown)
                {
                    return ApiProblems.Invalid("body", unknown);
                }

                if (JsonBody.Property(body.RootElement, "startWeek") is { } startWeek)
                {
                    if (startWeek.ValueKind != JsonValueKind.String)
                    {
                        return ApiProblems.Invalid("startWeek", $"startWeek must be a string, the Monday as YYYY-MM-DD, e.g. {Week.Format(start)}; got {JsonBody.Describe(startWeek.ValueKind)}.");
                    }

                    if (!JsonBody.TryGetText(startWeek, out var text))
                    {
                        return ApiProblems.Invalid("startWeek", $"startWeek must be a date as YYYY-MM-DD, e.g. {Week.Format(start)}; got text with NUL characters or unpaired surrogates.");
                    }

                    if (!Week.TryParse(text, today, out start, out var invalid, "startWeek", forPlanning: true))
                    {
                        return ApiProblems.Invalid("startWeek", invalid);
                    }
                }

                if (JsonBody.Property(body.RootElement, "weeks") is { } count
                    && (count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out weeks) || weeks is < 1 or > PlanRules.MaxWeeks))
                {
                    return ApiProblems.Invalid("weeks", $"weeks must be a whole number from 1 to {PlanRules.MaxWeeks}; got {count.GetRawText()}.");
                }
            }

            var last = start.AddDays(7 * (weeks - 1));
            if (last > Week.Latest(today))
            {
                return ApiProblems.Invalid("weeks",
                    $"{weeks} weeks from {Week.Format(start)} would reach the week of {Week.Format(last)}, beyond the latest week that can be planned, {Week.Format(Week.Latest(today))}. Plan fewer weeks.");
            }

            var outcome = await plans.GenerateAsync(context.User.Id(), start, weeks, cancellationToken);
            return outcome.Succeeded ? TypedResults.Ok(new PlanSummary(start, weeks, outcome.Weeks)) : CannotPlan(outcome);
        }
    }

    private static async Task<Results<Ok<WeekPlan>, ValidationProblem, ProblemHttpResult>> RegenerateAsync(
        string? week, HttpContext context, PlanService plans, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Week.TryParse(week, Week.Today(time), out var monday, out var problem, forPlanning: true))
        {
            return ApiProblems.Invalid("week", problem);
        }

        if (await plans.RegenerateAsync(context.User.Id(), monday, cancellationToken) is not { } outcome)
        {
            return ApiProblems.Invalid("week",
                $"There is no plan for the week of {Week.Format(monday)} to regenerate. Generate it first with POST /plan/generate-multi-week {{\"startWeek\": \"{Week.Format(monday)}\"}}.");
        }

        return outcome.Succeeded ? TypedResults.Ok(outcome.Weeks[0]) : CannotPlan(outcome);
    }

    /// <summary>The answer when the user has no plan for the week.</summary>
    internal static ProblemHttpResult NoPlan(DateOnly monday)
        => ApiProblems.NotFound(
            "No plan for this week.",
            $"You have no plan for the week of {Week.Format(monday)}. Generate one with POST /plan/generate-multi-week {{\"startWeek\": \"{Week.Format(monday)}\"}}.");

    // 422: the request is well formed, but the user's favourites (or preferences) cannot satisfy the rules.
    private static ProblemHttpResult CannotPlan(PlanOutcome outcome)
    {
        if (outcome.Shortfalls.Count == 0)
        {
            return ApiProblems.Unprocessable("The plan cannot be arranged.", outcome.Problem!);
        }

        var detail = $"Your favourites cannot fill a plan: it {string.Join("; it ", outcome.Shortfalls.Select(s => s.Message))}. "
            + "Add favourites with PUT /favourites/{recipeId}, or change your dietary preferences with PUT /me/preferences.";
        return ApiProblems.Unprocessable("Too few suitable favourites.", detail, new Dictionary<string, object?>
        {
            ["shortfalls"] = outcome.Shortfalls,
        });
    }
}
