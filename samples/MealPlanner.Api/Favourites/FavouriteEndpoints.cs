using MealPlanner.Api.Auth;
using MealPlanner.Api.Data;
using MealPlanner.Api.Recipes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MealPlanner.Api.Favourites;

/// <summary>
/// The signed-in user's favourite recipes, which plans are drawn from: <c>GET /favourites</c>,
/// <c>PUT /favourites/{recipeId}</c> and <c>DELETE /favourites/{recipeId}</c> (both idempotent, 204).
/// </summary>
public static class FavouriteEndpoints
{
    /// <summary>Maps the favourites endpoints; all need a session.</summary>
    public static IEndpointRouteBuilder MapFavourites(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/favourites").WithTags("Favourites").RequireAuthorization();
        group.MapGet("/", ListAsync);
        group.MapPut("/{recipeId:int}", AddAsync);
        group.MapDelete("/{recipeId:int}", RemoveAsync);
        return endpoints;
    }

    private static async Task<Ok<List<RecipeSummary>>> ListAsync(HttpContext context, RecipeQueries recipes, CancellationToken cancellationToken)
        => TypedResults.Ok(await recipes.FavouritesAsync(context.User.Id(), cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> AddAsync(
        int recipeId, HttpContext context, RecipeQueries recipes, MealPlannerDbContext db, CancellationToken cancellationToken)
    {
        if (!await recipes.ExistsAsync(recipeId, cancellationToken))
        {
            return ApiProblems.NotFound("Recipe not found.", $"There is no recipe with id {recipeId}. Find recipes with GET /recipes?search=.");
        }

        // ON CONFLICT makes adding twice (or twice at once) a no-op instead of a key violation.
        var userId = context.User.Id();
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO favourites (user_id, recipe_id) VALUES ({userId}, {recipeId}) ON CONFLICT (user_id, recipe_id) DO NOTHING",
            cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> RemoveAsync(int recipeId, HttpContext context, MealPlannerDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.Id();
        await db.Favourites.Where(f => f.UserId == userId && f.RecipeId == recipeId).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
