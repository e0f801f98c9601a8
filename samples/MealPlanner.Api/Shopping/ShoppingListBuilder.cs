using MealPlanner.Api.Recipes;

namespace MealPlanner.Api.Shopping;

/// <summary>One ingredient line of one planned meal, as the shopping query reads them.</summary>
/// <param name="Date">The day of the meal.</param>
/// <param name="MealType">The meal.</param>
/// <param name="Ingredient">The ingredient.</param>
/// <param name="Quantity">The amount in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit.</param>
public readonly record struct MealIngredient(DateOnly Date, MealType MealType, string Ingredient, decimal Quantity, string Unit);

/// <summary>
/// Aggregates a week's ingredients: amounts of the same ingredient in the same unit are added up;
/// different units stay separate lines (200 ml milk and 1 cup milk are not converted).
/// </summary>
public static class ShoppingListBuilder
{
    /// <summary>The shopping list of the week starting <paramref name="week"/> from the ingredient lines of its planned meals.</summary>
    public static ShoppingList Build(DateOnly week, IEnumerable<MealIngredient> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var totals = new Dictionary<(string Ingredient, string Unit), (decimal Quantity, int UsedIn)>();
        var meals = new HashSet<(DateOnly, MealType)>();
        foreach (var line in lines)
        {
            meals.Add((line.Date, line.MealType));
            var key = (line.Ingredient, line.Unit);
            var (quantity, usedIn) = totals.GetValueOrDefault(key);
            totals[key] = (quantity + line.Quantity, usedIn + 1);
        }

        var items = totals
            .Select(t => new ShoppingItem(t.Key.Ingredient, t.Key.Unit, Quantities.Normalize(t.Value.Quantity), t.Value.UsedIn))
            .OrderBy(i => i.Ingredient, StringComparer.Ordinal)
            .ThenBy(i => i.Unit, StringComparer.Ordinal)
            .ToArray();
        return new ShoppingList(week, meals.Count, items);
    }
}
