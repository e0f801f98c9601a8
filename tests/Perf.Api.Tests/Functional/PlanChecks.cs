using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>
/// Checks plans against the rules from facts the API did not compute: the generated catalogue (meal type,
/// prep time, main ingredient, dietary tags of each recipe) and the user's favourites.
/// </summary>
internal static class PlanChecks
{
    public static readonly IReadOnlyDictionary<int, Recipe> Catalogue = RecipeCatalogue.Generate().Recipes.ToDictionary(r => r.Id);

    public static DateOnly CurrentWeek => MealPlannerFactory.Today;

    /// <summary>Every rule of <see cref="PlanRules"/> over <paramref name="weeks"/>, taken together (so the repeat window spans week boundaries).</summary>
    public static void FollowRules(IReadOnlyList<WeekPlan> weeks, IReadOnlyCollection<int> favourites, IReadOnlyList<string> preferences)
    {
        var meals = new List<(DateOnly Date, MealType Slot, Recipe Recipe)>();
        foreach (var week in weeks)
        {
            week.Days.Select(d => d.Date).Should().Equal(Enumerable.Range(0, 7).Select(week.Week.AddDays), $"the week of {week.Week} lists Monday to Sunday");
            foreach (var day in week.Days)
            {
                day.DayOfWeek.Should().Be(day.Date.DayOfWeek);
                day.Meals.Select(m => m.MealType).Should().Equal([MealType.Breakfast, MealType.Lunch, MealType.Dinner], $"{day.Date} has three meals");
                foreach (var meal in day.Meals)
                {
                    var recipe = Catalogue[meal.RecipeId];
                    var where = $"{day.Date} ({day.Date.DayOfWeek}) {meal.MealType} is recipe {recipe.Id} '{recipe.Name}'";
                    meal.Name.Should().Be(recipe.Name, where);
                    favourites.Should().Contain(recipe.Id, $"{where}, which must be a favourite");
                    recipe.MealType.Should().Be(meal.MealType, where);
                    preferences.Should().BeSubsetOf(recipe.DietaryTags, $"{where}, and the user prefers {string.Join(", ", preferences)}");
                    if (PlanRules.IsWeekday(day.Date))
                    {
                        recipe.PrepMinutes.Should().BeLessThanOrEqualTo(PlanRules.WeekdayMaxPrepMinutes, $"{where}, on a weekday");
                    }

                    meals.Add((day.Date, meal.MealType, recipe));
                }

                day.Meals.Select(m => Catalogue[m.RecipeId].MainIngredient).Should().OnlyHaveUniqueItems($"{day.Date} varies its main ingredients");
            }
        }

        foreach (var uses in meals.GroupBy(m => m.Recipe.Id))
        {
            var dates = uses.Select(u => u.Date).Order().ToArray();
            for (var i = 1; i < dates.Length; i++)
            {
                (dates[i].DayNumber - dates[i - 1].DayNumber).Should().BeGreaterThanOrEqualTo(
                    PlanRules.RepeatWindowDays, $"recipe {uses.Key} '{uses.First().Recipe.Name}' is planned on {dates[i - 1]} and again on {dates[i]}");
            }
        }
    }

    public static string Format(DateOnly date) => Week.Format(date);
}
