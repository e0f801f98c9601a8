namespace MealPlanner.Api.Recipes;

/// <summary>The catalogue held in memory, indexed once: by id, and by name for searches.</summary>
public sealed class InMemoryRecipeRepository : IRecipeRepository
{
    private readonly Dictionary<int, Recipe> _byId;
    private readonly RecipeSummary[] _byName;
    private readonly RecipeSummary[] _byIdSummaries;

    /// <summary>Indexes <paramref name="catalogue"/>.</summary>
    public InMemoryRecipeRepository(RecipeCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        _byId = catalogue.Recipes.ToDictionary(r => r.Id);
        _byIdSummaries = [.. catalogue.Recipes.OrderBy(r => r.Id).Select(r => r.ToSummary())];
        _byName = [.. _byIdSummaries.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id)];
    }

    /// <inheritdoc />
    public Task<RecipeSearchResult> SearchAsync(string? search, int take, CancellationToken cancellationToken)
    {
        var items = new List<RecipeSummary>(Math.Min(take, _byName.Length));
        var total = 0;
        foreach (var recipe in _byName)
        {
            if (search is null || recipe.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            {
                if (total++ < take)
                {
                    items.Add(recipe);
                }
            }
        }

        return Task.FromResult(new RecipeSearchResult(search, take, total, items));
    }

    /// <inheritdoc />
    public Task<Recipe?> FindAsync(int id, CancellationToken cancellationToken)
        => Task.FromResult(_byId.GetValueOrDefault(id));

    /// <inheritdoc />
    public Task<IReadOnlyList<Recipe>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new List<Recipe>(ids.Count);
        foreach (var id in ids.Distinct())
        {
            if (_byId.TryGetValue(id, out var recipe))
            {
                found.Add(recipe);
            }
        }

        return Task.FromResult<IReadOnlyList<Recipe>>(found);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RecipeSummary>> ListForPlanningAsync(CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<RecipeSummary>>(_byIdSummaries);
}
