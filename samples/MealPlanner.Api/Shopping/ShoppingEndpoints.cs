using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MealPlanner.Api.Shopping;

/// <summary><c>GET /shopping?week=YYYY-MM-DD</c>: the week's ingredients, aggregated.</summary>
public static class ShoppingEndpoints
{
    /// <summary>Maps the shopping endpoints.</summary>
    public static IEndpointRouteBuilder MapShopping(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/shopping").WithTags("Shopping").MapGet("/", GetAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<ShoppingList>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string? week, WeekPlanService plans, IRecipeRepository recipes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Week.TryParse(week, Week.Today(time), out var monday, out var problem))
        {
            return ApiProblems.Invalid("week", problem);
        }

        if (await plans.GetAsync(monday, cancellationToken) is not { } plan)
        {
            return PlanEndpoints.TooFewRecipes();
        }

        // One batched read of the week's recipes with their ingredients.
        var ids = plan.Days.SelectMany(d => d.Meals).Select(m => m.RecipeId).ToHashSet();
        var planned = await recipes.GetManyAsync(ids, cancellationToken);
        return TypedResults.Ok(ShoppingListBuilder.Build(plan, planned));
    }
}
