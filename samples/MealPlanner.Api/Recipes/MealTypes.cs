namespace MealPlanner.Api.Recipes;

/// <summary>Meal types as the database and the API's messages spell them: lower case.</summary>
public static class MealTypes
{
    /// <summary>Breakfast, lunch, dinner: the order of a day's meals.</summary>
    public static IReadOnlyList<MealType> All { get; } = [MealType.Breakfast, MealType.Lunch, MealType.Dinner];

    /// <summary><c>breakfast</c>, <c>lunch</c> or <c>dinner</c>.</summary>
    public static string ToText(MealType mealType) => mealType switch
    {
        MealType.Breakfast => "breakfast",
        MealType.Lunch => "lunch",
        MealType.Dinner => "dinner",
        _ => throw new ArgumentOutOfRangeException(nameof(mealType), mealType, "Not a meal type."),
    };

    /// <summary>The meal type spelled <paramref name="text"/> (as <see cref="ToText"/> writes it).</summary>
    public static MealType Parse(string text) => text switch
    {
        "breakfast" => MealType.Breakfast,
        "lunch" => MealType.Lunch,
        "dinner" => MealType.Dinner,
        _ => throw new FormatException($"'{text}' is not a meal type; expected breakfast, lunch or dinner."),
    };
}
