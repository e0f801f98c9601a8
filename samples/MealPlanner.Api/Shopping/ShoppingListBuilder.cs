using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;

namespace MealPlanner.Api.Shopping;

/// <summary>
/// Aggregates a week's ingredients: amounts of the same ingredient in the same unit are added up;
/// different units stay separate lines (200 ml milk and 1 cup milk are not converted).
/// </summary>
public static class ShoppingListBuilder
{
    /// <summary>The shopping list of <paramref name="plan"/>, whose recipes are <paramref name="recipes"/>.</summary>
    /// <exception cref="InvalidOperationException">A planned recipe is missing from <paramref name="recipes"/>.</exception>
    public static ShoppingList Build(WeekPlan plan, IReadOnlyList<Recipe> recipes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(recipes);
        var byId = recipes.ToDictionary(r => r.Id);
        var totals = new Dictionary<(string Ingredient, string Unit), (decimal Quantity, int UsedIn)>();
        var meals = 0;
        foreach (var meal in plan.Days.SelectMany(d => d.Meals))
        {
            if (!byId.TryGetValue(meal.RecipeId, out var recipe))
            {
                throw new InvalidOperationException($"The plan of {plan.Week} uses recipe {meal.RecipeId}, which was not loaded; the shopping list would be incomplete.");
            }

            meals++;
            foreach (var ingredient in recipe.Ingredients)
            {
                var key = (ingredient.Name, ingredient.Unit);
                var (quantity, usedIn) = totals.GetValueOrDefault(key);
                totals[key] = (quantity + ingredient.Quantity, usedIn + 1);
            }
        }

        var items = totals
            .Select(t => new ShoppingItem(t.Key.Ingredient, t.Key.Unit, Quantities.Normalize(t.Value.Quantity), t.Value.UsedIn))
            .OrderBy(i => i.Ingredient, StringComparer.Ordinal)
            .ThenBy(i => i.Unit, StringComparer.Ordinal)
            .ToArray();
        return new ShoppingList(plan.Week, meals, items);
    }
}
