namespace MealPlanner.Api.Recipes;

/// <summary>
/// Reads the recipe catalogue. Each method is meant to be one round trip to storage, so a database
/// implementation maps each to one query: <see cref="GetManyAsync"/> loads a whole week's recipes with
/// their ingredients at once rather than one recipe per meal (no N+1).
/// </summary>
public interface IRecipeRepository
{
    /// <summary>Recipes whose name contains <paramref name="search"/> (case-insensitive), by name then id.</summary>
    Task<RecipeSearchResult> SearchAsync(string? search, int take, CancellationToken cancellationToken);

    /// <summary>The recipe with id <paramref name="id"/>, or <see langword="null"/>.</summary>
    Task<Recipe?> FindAsync(int id, CancellationToken cancellationToken);

    /// <summary>The recipes with the given ids that exist, in no particular order.</summary>
    Task<IReadOnlyList<Recipe>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken);

    /// <summary>Every recipe without ingredients, by id: what the planner chooses from.</summary>
    Task<IReadOnlyList<RecipeSummary>> ListForPlanningAsync(CancellationToken cancellationToken);
}
