using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

public sealed class PlanTests(MealPlannerFactory factory) : IClassFixture<MealPlannerFactory>
{
    private static readonly Dictionary<int, Recipe> Catalogue = RecipeCatalogue.Generate().Recipes.ToDictionary(r => r.Id);

    // The current week (today is pinned to 2026-11-23), both ends of the 52-week window, and weeks in between.
    public static TheoryData<string> Weeks { get; } = ["2026-11-23", "2025-11-24", "2027-11-22", "2026-11-30", "2027-01-04", "2026-06-01"];

    [Theory]
    [MemberData(nameof(Weeks))]
    public async Task Plan_has_seven_days_from_the_monday_with_breakfast_lunch_and_dinner(string week)
    {
        using var client = factory.CreateClient();
        var plan = await ApiJson.GetAsync<WeekPlan>(client, $"/plan?week={week}");

        var monday = DateOnly.Parse(week, System.Globalization.CultureInfo.InvariantCulture);
        plan.Week.Should().Be(monday);
        plan.Days.Select(d => d.Date).Should().Equal(Enumerable.Range(0, 7).Select(monday.AddDays));
        plan.Days.Should().AllSatisfy(d =>
        {
            d.DayOfWeek.Should().Be(d.Date.DayOfWeek);
            d.Meals.Select(m => m.MealType).Should().Equal(MealType.Breakfast, MealType.Lunch, MealType.Dinner);
        });
    }

    [Theory]
    [MemberData(nameof(Weeks))]
    public async Task Plan_uses_each_recipe_once_for_its_meal_type_and_quick_ones_on_weekdays(string week)
    {
        using var client = factory.CreateClient();
        var plan = await ApiJson.GetAsync<WeekPlan>(client, $"/plan?week={week}");

        var meals = plan.Days.SelectMany(d => d.Meals.Select(m => (Day: d, Meal: m))).ToArray();
        meals.Should().HaveCount(21);
        meals.Select(x => x.Meal.RecipeId).Should().OnlyHaveUniqueItems("no recipe may repeat within a week");
        foreach (var (day, meal) in meals)
        {
            // Checked against the catalogue, not against what the plan says about the recipe.
            var recipe = Catalogue[meal.RecipeId];
            meal.MealType.Should().Be(recipe.MealType, $"{day.Date} {meal.MealType} is recipe {recipe.Id} '{recipe.Name}'");
            meal.Name.Should().Be(recipe.Name);
            meal.PrepMinutes.Should().Be(recipe.PrepMinutes);
            if (day.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                recipe.PrepMinutes.Should().BeLessThanOrEqualTo(WeekPlanner.WeekdayMaxPrepMinutes, $"{day.Date} is a weekday and {meal.MealType} is '{recipe.Name}'");
            }
        }
    }

    [Fact]
    public async Task Same_week_gives_the_same_plan_and_other_weeks_other_plans()
    {
        using var client = factory.CreateClient();
        var first = await client.GetStringAsync("/plan?week=2026-11-23", TestContext.Current.CancellationToken);
        var second = await client.GetStringAsync("/plan?week=2026-11-23", TestContext.Current.CancellationToken);
        second.Should().Be(first);

        var monday = new DateOnly(2026, 11, 23);
        var plans = new List<string>();
        for (var w = 0; w < 8; w++)
        {
            var plan = await ApiJson.GetAsync<WeekPlan>(client, $"/plan?week={monday.AddDays(7 * w):yyyy-MM-dd}");
            plans.Add(string.Join(",", plan.Days.SelectMany(d => d.Meals).Select(m => m.RecipeId)));
        }

        plans.Should().OnlyHaveUniqueItems("each week is planned from its own seed");
    }

    [Fact]
    public void Planner_reports_a_catalogue_too_small_to_follow_the_rules()
    {
        // Six quick breakfasts are not enough for seven different breakfasts.
        var small = Enumerable.Range(1, 6).Select(i => new RecipeSummary(i, $"B{i}", MealType.Breakfast, 10, []))
            .Concat(Enumerable.Range(7, 7).Select(i => new RecipeSummary(i, $"L{i}", MealType.Lunch, 10, [])))
            .Concat(Enumerable.Range(14, 7).Select(i => new RecipeSummary(i, $"D{i}", MealType.Dinner, 10, [])))
            .ToArray();

        WeekPlanner.TryPlan(new DateOnly(2026, 11, 23), small).Should().BeNull();
        WeekPlanner.TryPlan(new DateOnly(2026, 11, 23), [.. small, new RecipeSummary(99, "B99", MealType.Breakfast, 90, [])])
            .Should().NotBeNull("a slow breakfast can fill a weekend slot");
    }
}
