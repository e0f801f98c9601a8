using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using MealPlanner.Api.Shopping;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

public sealed class ShoppingTests(MealPlannerFactory factory) : IClassFixture<MealPlannerFactory>
{
    [Theory]
    [InlineData("2026-11-23")]
    [InlineData("2027-03-01")]
    [InlineData("2026-01-05")]
    public async Task Shopping_list_sums_each_ingredient_and_unit_over_the_weeks_recipes(string week)
    {
        using var client = factory.CreateClient();
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
        using var client = factory.CreateClient();
        var list = await ApiJson.GetAsync<ShoppingList>(client, "/shopping?week=2026-11-23");

        list.Items.Should().NotBeEmpty();
        list.Items.Select(i => (i.Ingredient, i.Unit)).Should().OnlyHaveUniqueItems();
        list.Items.Select(i => $"{i.Ingredient}\u0000{i.Unit}").Should().BeInAscendingOrder(StringComparer.Ordinal);
        list.Items.Should().AllSatisfy(i => i.Quantity.Should().BePositive());
        list.Items.Sum(i => i.UsedIn).Should().BeInRange(21 * 6, 21 * 15, "every planned recipe has 6 to 15 ingredients");
    }

    [Fact]
    public void Builder_keeps_units_apart_and_counts_repeated_recipes()
    {
        var monday = new DateOnly(2026, 11, 23);
        Recipe[] recipes =
        [
            new(1, "A", MealType.Dinner, 10, [], [new("milk", 200, "ml"), new("rice", 100, "g")]),
            new(2, "B", MealType.Dinner, 10, [], [new("milk", 0.5m, "cup"), new("rice", 50, "g")]),
        ];
        var plan = new WeekPlan(monday, [new PlanDay(monday, DayOfWeek.Monday, [
            new(MealType.Dinner, 1, "A", 10), new(MealType.Dinner, 2, "B", 10), new(MealType.Dinner, 1, "A", 10)])]);

        var list = ShoppingListBuilder.Build(plan, recipes);

        list.Meals.Should().Be(3);
        list.Items.Should().Equal(
            new ShoppingItem("milk", "cup", 0.5m, 1),
            new ShoppingItem("milk", "ml", 400, 2),
            new ShoppingItem("rice", "g", 250, 3));
    }
}
