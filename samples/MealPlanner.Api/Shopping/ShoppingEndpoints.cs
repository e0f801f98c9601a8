using MealPlanner.Api.Auth;
using MealPlanner.Api.Data;
using MealPlanner.Api.Planning;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MealPlanner.Api.Shopping;

/// <summary><c>GET /shopping?week=YYYY-MM-DD</c>: the ingredients of the signed-in user's planned week, aggregated; needs a session.</summary>
public static class ShoppingEndpoints
{
    /// <summary>Maps the shopping endpoints.</summary>
    public static IEndpointRouteBuilder MapShopping(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/shopping").WithTags("Shopping").RequireAuthorization().MapGet("/", GetAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<ShoppingList>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string? week, HttpContext context, MealPlannerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Week.TryParse(week, Week.Today(time), out var monday, out var problem))
        {
            return ApiProblems.Invalid("week", problem);
        }

        // One query: the week's planned meals joined with all their recipes' ingredients (no query per recipe).
        var userId = context.User.Id();
        var sunday = monday.AddDays(6);
        var lines = await (
            from m in db.PlannedMeals.AsNoTracking()
            where m.UserId == userId && m.Date >= monday && m.Date <= sunday
            join i in db.RecipeIngredients.AsNoTracking() on m.RecipeId equals i.RecipeId
            select new MealIngredient(m.Date, m.MealType, i.Name, i.Quantity, i.Unit))
            .ToListAsync(cancellationToken);

        // A planned meal always has ingredients, so no lines means no plan.
        return lines.Count == 0 ? PlanEndpoints.NoPlan(monday) : TypedResults.Ok(ShoppingListBuilder.Build(monday, lines));
    }
}
