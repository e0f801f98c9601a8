using System.Net;
using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using MealPlanner.Api.Shopping;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>The shopping list adds up the ingredients of the week's planned recipes, by ingredient and unit.</summary>
public sealed class ShoppingTests(SampleApp app) : IClassFixture<SampleApp>
{
    [Theory]
    [InlineData(30, 0)]
    [InlineData(31, 1)]
    [InlineData(34, 3)]
    public async Task Shopping_list_sums_each_ingredient_and_unit_over_the_weeks_recipes(int user, int weekOffset)
    {
        using var client = await app.LogInAsync(user);
        await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { weeks = 4 });
        var week = PlanChecks.Format(PlanChecks.CurrentWeek.AddDays(7 * weekOffset));
        var plan = await ApiJson.GetAsync<WeekPlan>(client, $"/plan?week={week}");
        var list = await ApiJson.GetAsync<ShoppingList>(client, $"/shopping?week={week}");

        // The expected list, computed independently from the recipes as the API serves them one by one.
        var lines = new List<(string Name, string Unit, decimal Quantity)>();
        foreach (var meal in plan.Days.SelectMany(d => d.Meals))
        {
            var recipe = await ApiJson.GetAsync<Recipe>(client, $"/recipes/{meal.RecipeId}");
            lines.AddRange(recipe.Ingredients.Select(i => (i.Name, i.Unit, i.Quantity)));
        }

        var expected = lines
            .GroupBy(l => (l.Name, l.Unit))
            .Select(g => new ShoppingItem(g.Key.Name, g.Key.Unit, g.Sum(l => l.Quantity), g.Count()))
            .OrderBy(i => i.Ingredient, StringComparer.Ordinal)
            .ThenBy(i => i.Unit, StringComparer.Ordinal)
            .ToArray();

        list.Week.Should().Be(plan.Week);
        list.Meals.Should().Be(21);
        list.Items.Should().Equal(expected, (a, b) => a.Ingredient == b.Ingredient && a.Unit == b.Unit && a.Quantity == b.Quantity && a.UsedIn == b.UsedIn);
    }

    [Fact]
    public async Task Shopping_list_has_one_line_per_ingredient_and_unit_sorted()
    {
        using var client = await app.LogInAsync(35);
        await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { weeks = 1 });
        var list = await ApiJson.GetAsync<ShoppingList>(client, $"/shopping?week={PlanChecks.Format(PlanChecks.CurrentWeek)}");

        list.Items.Should().NotBeEmpty();
        list.Items.Select(i => (i.Ingredient, i.Unit)).Should().OnlyHaveUniqueItems();
        list.Items.Select(i => $"{i.Ingredient}\u0000{i.Unit}").Should().BeInAscendingOrder(StringComparer.Ordinal);
        list.Items.Should().AllSatisfy(i => i.Quantity.Should().BePositive());
        list.Items.Sum(i => i.UsedIn).Should().BeInRange(21 * 6, 21 * 15, "every planned recipe has 6 to 15 ingredients");
    }

    [Fact]
    public async Task Shopping_list_of_a_week_without_a_plan_is_a_404_that_says_how_to_plan_it()
    {
        using var client = await app.LogInAsync(36);
        using var response = await client.GetAsync("/shopping?week=2026-12-21", TestContext.Current.CancellationToken);

        var problem = await Problems.ReadAsync(response, HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Be(
            "You have no plan for the week of 2026-12-21. Generate one with POST /plan/generate-multi-week {\"startWeek\": \"2026-12-21\"}.");
    }

    [Fact]
    public void Builder_keeps_units_apart_and_counts_meals_and_uses()
    {
        var monday = new DateOnly(2026, 11, 23);
        MealIngredient[] lines =
        [
            new(monday, MealType.Dinner, "milk", 200, "ml"),
            new(monday, MealType.Dinner, "rice", 100, "g"),
            new(monday, MealType.Lunch, "milk", 0.5m, "cup"),
            new(monday, MealType.Lunch, "rice", 50, "g"),
            new(monday.AddDays(1), MealType.Dinner, "milk", 200, "ml"),
            new(monday.AddDays(1), MealType.Dinner, "rice", 100.00m, "g"),
        ];

        var list = ShoppingListBuilder.Build(monday, lines);

        list.Meals.Should().Be(3);
        list.Items.Should().Equal(
            new ShoppingItem("milk", "cup", 0.5m, 1),
            new ShoppingItem("milk", "ml", 400, 2),
            new ShoppingItem("rice", "g", 250, 3));
        list.Items[2].Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("250", "amounts read without trailing zeros");
    }
}
