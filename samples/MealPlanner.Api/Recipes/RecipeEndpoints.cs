using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MealPlanner.Api.Recipes;

/// <summary><c>GET /recipes?search=&amp;take=</c> and <c>GET /recipes/{id}</c>: the catalogue, public (no session needed).</summary>
public static class RecipeEndpoints
{
    /// <summary>The page size when <c>take</c> is not given.</summary>
    public const int DefaultTake = 20;

    /// <summary>The largest page a client may ask for.</summary>
    public const int MaxTake = 100;

    /// <summary>The longest search text accepted.</summary>
    public const int MaxSearchLength = 100;

    /// <summary>Maps the recipe endpoints.</summary>
    public static IEndpointRouteBuilder MapRecipes(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/recipes").WithTags("Recipes").AllowAnonymous();
        group.MapGet("/", SearchAsync);
        group.MapGet("/{id:int}", FindAsync);
        return endpoints;
    }

    // Query values are bound as text and parsed here, so a bad value gets a 400 that says what is wrong.
    private static async Task<Results<Ok<RecipeSearchResult>, ValidationProblem>> SearchAsync(
        string? search, string? take, RecipeQueries recipes, CancellationToken cancellationToken)
    {
        var count = DefaultTake;
        if (take is not null
            && (!int.TryParse(take, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxTake))
        {
            return ApiProblems.Invalid("take", $"take must be a whole number from 1 to {MaxTake}; got '{take}'.");
        }

        var text = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        if (text is { Length: > MaxSearchLength })
        {
            return ApiProblems.Invalid("search", $"search must be at most {MaxSearchLength} characters; got {text.Length}.");
        }

        if (text is not null && !JsonBody.IsStorable(text))
        {
            return ApiProblems.Invalid("search", "search must not contain NUL characters.");
        }

        return TypedResults.Ok(await recipes.SearchAsync(text, count, cancellationToken));
    }

    private static async Task<Results<Ok<Recipe>, ProblemHttpResult>> FindAsync(int id, RecipeQueries recipes, CancellationToken cancellationToken)
        => await recipes.FindAsync(id, cancellationToken) is { } recipe
            ? TypedResults.Ok(recipe)
            : ApiProblems.NotFound("Recipe not found.", $"There is no recipe with id {id}. Find recipes with GET /recipes?search=.");
}
