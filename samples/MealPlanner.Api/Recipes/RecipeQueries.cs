using MealPlanner.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace MealPlanner.Api.Recipes;

/// <summary>Reads the catalogue: each method is one or two indexed queries, never one per recipe.</summary>
internal sealed class RecipeQueries(MealPlannerDbContext db)
{
    /// <summary>Recipes whose name contains <paramref name="search"/> (case-insensitive), by name then id, and how many match.</summary>
    public async Task<RecipeSearchResult> SearchAsync(string? search, int take, CancellationToken cancellationToken)
    {
        var query = db.Recipes.AsNoTracking();
        if (search is not null)
        {
            // ILIKE '%text%' is served by the trigram index; the text's own wildcards are escaped (with an explicit
            // ESCAPE: without one the provider writes ESCAPE '', which turns escaping off) so that they match literally.
            var pattern = "%" + search.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
            query = query.Where(r => EF.Functions.ILike(r.Name, pattern, @"\"));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderBy(r => r.Name).ThenBy(r => r.Id)
            .Take(take)
            .Select(r => new RecipeSummary(r.Id, r.Name, r.MealType, r.PrepMinutes, r.MainIngredient, r.DietaryTags))
            .ToListAsync(cancellationToken);
        return new RecipeSearchResult(search, take, total, items);
    }

    /// <summary>The recipe with its ingredients in one query, or <see langword="null"/>.</summary>
    public async Task<Recipe?> FindAsync(int id, CancellationToken cancellationToken)
    {
        var row = await db.Recipes.AsNoTracking()
            .Where(r => r.Id == id)
            .Select(r => new
            {
                Summary = new RecipeSummary(r.Id, r.Name, r.MealType, r.PrepMinutes, r.MainIngredient, r.DietaryTags),
                Ingredients = r.Ingredients.OrderBy(i => i.Position).Select(i => new Ingredient(i.Name, i.Quantity, i.Unit)).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null
            ? null
            : new Recipe(
                row.Summary.Id,
                row.Summary.Name,
                row.Summary.MealType,
                row.Summary.PrepMinutes,
                row.Summary.MainIngredient,
                row.Summary.DietaryTags,
                [.. row.Ingredients.Select(i => i with { Quantity = Quantities.Normalize(i.Quantity) })]);
    }

    /// <summary>Whether a recipe with id <paramref name="id"/> exists.</summary>
    public Task<bool> ExistsAsync(int id, CancellationToken cancellationToken)
        => db.Recipes.AsNoTracking().AnyAsync(r => r.Id == id, cancellationToken);

    /// <summary>The favourites of user <paramref name="userId"/> as summaries, by name then id.</summary>
    public Task<List<RecipeSummary>> FavouritesAsync(int userId, CancellationToken cancellationToken)
        => (from f in db.Favourites.AsNoTracking()
            where f.UserId == userId
            join r in db.Recipes.AsNoTracking() on f.RecipeId equals r.Id
            orderby r.Name, r.Id
            select new RecipeSummary(r.Id, r.Name, r.MealType, r.PrepMinutes, r.MainIngredient, r.DietaryTags))
            .ToListAsync(cancellationToken);
}
