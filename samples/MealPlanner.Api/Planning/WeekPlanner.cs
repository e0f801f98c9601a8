using MealPlanner.Api.Recipes;

namespace MealPlanner.Api.Planning;

/// <summary>
/// Plans a week from the catalogue. The rules: every day gets a breakfast, a lunch and a dinner of
/// that meal type; no recipe appears twice in the week; Monday to Friday only recipes that take at
/// most <see cref="WeekdayMaxPrepMinutes"/> minutes. The choice is seeded by the week, so the same
/// week always gets the same plan and different weeks get different ones.
/// </summary>
public static class WeekPlanner
{
    /// <summary>The longest prep time allowed on a weekday.</summary>
    public const int WeekdayMaxPrepMinutes = 30;

    private static readonly MealType[] Meals = [MealType.Breakfast, MealType.Lunch, MealType.Dinner];

    /// <summary>The plan of the week starting <paramref name="monday"/>, or <see langword="null"/> when the catalogue is too small to follow the rules.</summary>
    public static WeekPlan? TryPlan(DateOnly monday, IReadOnlyList<RecipeSummary> catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var random = new Random(monday.DayNumber);
        var used = new HashSet<int>();
        var days = new PlanDay[7];
        for (var d = 0; d < days.Length; d++)
        {
            var date = monday.AddDays(d);
            var maxPrep = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? int.MaxValue : WeekdayMaxPrepMinutes;
            var meals = new PlannedMeal[Meals.Length];
            for (var m = 0; m < Meals.Length; m++)
            {
                if (Pick(catalogue, Meals[m], maxPrep, used, random) is not { } recipe)
                {
                    return null;
                }

                meals[m] = new PlannedMeal(recipe.MealType, recipe.Id, recipe.Name, recipe.PrepMinutes);
            }

            days[d] = new PlanDay(date, date.DayOfWeek, meals);
        }

        return new WeekPlan(monday, days);
    }

    // From a random start, the first recipe that fits the slot and is not used yet: at most one pass
    // over the catalogue, and no per-request copies of it.
    private static RecipeSummary? Pick(IReadOnlyList<RecipeSummary> catalogue, MealType mealType, int maxPrep, HashSet<int> used, Random random)
    {
        if (catalogue.Count == 0)
        {
            return null;
        }

        var start = random.Next(catalogue.Count);
        for (var i = 0; i < catalogue.Count; i++)
        {
            var candidate = catalogue[(start + i) % catalogue.Count];
            if (candidate.MealType == mealType && candidate.PrepMinutes <= maxPrep && used.Add(candidate.Id))
            {
                return candidate;
            }
        }

        return null;
    }
}
