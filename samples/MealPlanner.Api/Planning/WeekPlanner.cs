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

        // Candidate pools per meal type: any prep time (weekend) and quick ones (weekdays), in id order.
        var any = Meals.ToDictionary(m => m, _ => new List<RecipeSummary>());
        var quick = Meals.ToDictionary(m => m, _ => new List<RecipeSummary>());
        foreach (var recipe in catalogue)
        {
            if (!any.TryGetValue(recipe.MealType, out var pool))
            {
                continue;
            }

            pool.Add(recipe);
            if (recipe.PrepMinutes <= WeekdayMaxPrepMinutes)
            {
                quick[recipe.MealType].Add(recipe);
            }
        }

        var random = new Random(monday.DayNumber);
        var used = new HashSet<int>();
        var days = new PlanDay[7];
        for (var d = 0; d < days.Length; d++)
        {
            var date = monday.AddDays(d);
            var weekday = date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
            var meals = new PlannedMeal[Meals.Length];
            for (var m = 0; m < Meals.Length; m++)
            {
                var pool = weekday ? quick[Meals[m]] : any[Meals[m]];
                if (Pick(pool, used, random) is not { } recipe)
                {
                    return null;
                }

                meals[m] = new PlannedMeal(recipe.MealType, recipe.Id, recipe.Name, recipe.PrepMinutes);
            }

            days[d] = new PlanDay(date, date.DayOfWeek, meals);
        }

        return new WeekPlan(monday, days);
    }

    // A random start, then the first recipe not used yet: at most one pass over the pool.
    private static RecipeSummary? Pick(List<RecipeSummary> pool, HashSet<int> used, Random random)
    {
        if (pool.Count == 0)
        {
            return null;
        }

        var start = random.Next(pool.Count);
        for (var i = 0; i < pool.Count; i++)
        {
            var candidate = pool[(start + i) % pool.Count];
            if (used.Add(candidate.Id))
            {
                return candidate;
            }
        }

        return null;
    }
}
