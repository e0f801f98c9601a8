namespace MealPlanner.Api.Data;

// The tables as EF Core sees them (Schema.sql defines them). Mutable classes because EF materializes
// and inserts them; the API's contracts are the immutable records in the feature folders.

/// <summary>A row of <c>users</c>.</summary>
internal sealed class UserRow
{
    public int Id { get; set; }

    public string Email { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public List<string> DietaryPreferences { get; set; } = [];
}

/// <summary>A row of <c>recipes</c>.</summary>
internal sealed class RecipeRow
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public Recipes.MealType MealType { get; set; }

    public int PrepMinutes { get; set; }

    public string MainIngredient { get; set; } = "";

    public List<string> DietaryTags { get; set; } = [];

    public List<RecipeIngredientRow> Ingredients { get; set; } = [];
}

/// <summary>A row of <c>recipe_ingredients</c>.</summary>
internal sealed class RecipeIngredientRow
{
    public int RecipeId { get; set; }

    public short Position { get; set; }

    public string Name { get; set; } = "";

    public decimal Quantity { get; set; }

    public string Unit { get; set; } = "";
}

/// <summary>A row of <c>favourites</c>.</summary>
internal sealed class FavouriteRow
{
    public int UserId { get; set; }

    public int RecipeId { get; set; }
}

/// <summary>A row of <c>plan_weeks</c>.</summary>
internal sealed class PlanWeekRow
{
    public int UserId { get; set; }

    public DateOnly WeekStart { get; set; }

    public int Generation { get; set; }

    public DateTimeOffset GeneratedAt { get; set; }
}

/// <summary>A row of <c>planned_meals</c>.</summary>
internal sealed class PlannedMealRow
{
    public int UserId { get; set; }

    public DateOnly Date { get; set; }

    public Recipes.MealType MealType { get; set; }

    public int RecipeId { get; set; }
}
