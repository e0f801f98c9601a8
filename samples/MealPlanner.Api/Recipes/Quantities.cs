namespace MealPlanner.Api.Recipes;

/// <summary>Helpers for ingredient amounts.</summary>
public static class Quantities
{
    /// <summary>Drops trailing zeros (1.50 → 1.5, 2.0 → 2), so amounts read the same however they were computed.</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}
