namespace MealPlanner.Api.Recipes;

/// <summary>When a recipe is eaten. A plan fills one slot of each type per day, in this order.</summary>
public enum MealType
{
    /// <summary>The morning meal.</summary>
    Breakfast,

    /// <summary>The midday meal.</summary>
    Lunch,

    /// <summary>The evening meal.</summary>
    Dinner,
}

/// <summary>One line of a recipe: how much of what, e.g. 200 g rice.</summary>
/// <param name="Name">The ingredient, lower case, e.g. <c>rice</c>.</param>
/// <param name="Quantity">The amount in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit, e.g. <c>g</c>, <c>ml</c>, <c>tbsp</c>, <c>pcs</c>.</param>
public sealed record Ingredient(string Name, decimal Quantity, string Unit);

/// <summary>A recipe with what planning needs (meal type, prep time, main ingredient, dietary tags) and what shopping needs (ingredients).</summary>
/// <param name="Id">The recipe's id, from 1.</param>
/// <param name="Name">The recipe's name, unique in the catalogue.</param>
/// <param name="MealType">The meal it is planned for.</param>
/// <param name="PrepMinutes">How long it takes to make.</param>
/// <param name="MainIngredient">The ingredient it is built around; a day's plan never repeats one.</param>
/// <param name="DietaryTags">The diets it suits (e.g. <c>vegetarian</c>, <c>gluten-free</c>), sorted.</param>
/// <param name="Ingredients">What goes in, main ingredient first.</param>
public sealed record Recipe(
    int Id,
    string Name,
    MealType MealType,
    int PrepMinutes,
    string MainIngredient,
    IReadOnlyList<string> DietaryTags,
    IReadOnlyList<Ingredient> Ingredients)
{
    /// <summary>The recipe without its ingredients, as lists and plans show it.</summary>
    public RecipeSummary ToSummary() => new(Id, Name, MealType, PrepMinutes, MainIngredient, DietaryTags);
}

/// <summary>A recipe without its ingredients.</summary>
/// <param name="Id">The recipe's id.</param>
/// <param name="Name">The recipe's name.</param>
/// <param name="MealType">The meal it is planned for.</param>
/// <param name="PrepMinutes">How long it takes to make.</param>
/// <param name="MainIngredient">The ingredient it is built around.</param>
/// <param name="DietaryTags">The diets it suits, sorted.</param>
public sealed record RecipeSummary(int Id, string Name, MealType MealType, int PrepMinutes, string MainIngredient, IReadOnlyList<string> DietaryTags);

/// <summary>One page of a recipe search.</summary>
/// <param name="Search">The text searched for in recipe names; <see langword="null"/> lists all.</param>
/// <param name="Take">The most items returned.</param>
/// <param name="Total">How many recipes match.</param>
/// <param name="Items">The first <paramref name="Take"/> matches, by name then id.</param>
public sealed record RecipeSearchResult(string? Search, int Take, int Total, IReadOnlyList<RecipeSummary> Items);
