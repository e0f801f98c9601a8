namespace MealPlanner.Api.Recipes;

/// <summary>The dietary tags recipes carry and users can prefer; a user's plan only uses recipes that carry all of the user's.</summary>
public static class Diets
{
    /// <summary>Every known tag, sorted: <c>dairy-free</c>, <c>gluten-free</c>, <c>nut-free</c>, <c>vegan</c>, <c>vegetarian</c>.</summary>
    public static IReadOnlyList<string> All { get; } = ["dairy-free", "gluten-free", "nut-free", "vegan", "vegetarian"];

    /// <summary>Whether <paramref name="tag"/> is one of <see cref="All"/> (exact, lower case).</summary>
    public static bool IsKnown(string tag) => All.Contains(tag, StringComparer.Ordinal);

    /// <summary>Whether a recipe tagged <paramref name="tags"/> suits someone who prefers <paramref name="preferences"/>.</summary>
    public static bool Suits(IReadOnlyList<string> tags, IReadOnlyList<string> preferences)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(preferences);
        foreach (var preference in preferences)
        {
            if (!tags.Contains(preference, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
