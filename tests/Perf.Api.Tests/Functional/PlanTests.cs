using System.Net;
using System.Text.Json;
using MealPlanner.Api.Data;
using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>
/// Multi-week generation follows the rules (checked against the catalogue, not against what the plan says),
/// respects weeks already planned around it, regenerates one week with a new draw, and says exactly what is
/// missing when favourites cannot fill a plan.
/// </summary>
public sealed class PlanTests(SampleApp app) : IClassFixture<SampleApp>
{
    // Users by seeded diet (see SeedUsers.PreferencesOf): none, vegetarian, gluten-free, nut-free, vegetarian and gluten-free, dairy-free.
    public static TheoryData<int> UsersOfEveryDiet { get; } = [10, 11, 12, 13, 14, 15];

    [Theory]
    [MemberData(nameof(UsersOfEveryDiet))]
    public async Task Eight_weeks_follow_every_rule_across_week_boundaries(int user)
    {
        using var client = await app.LogInAsync(user);
        var summary = await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { weeks = 8 });

        summary.StartWeek.Should().Be(PlanChecks.CurrentWeek, "the start defaults to the current week");
        summary.Weeks.Should().Be(8);
        summary.Plans.Select(p => p.Week).Should().Equal(Enumerable.Range(0, 8).Select(w => PlanChecks.CurrentWeek.AddDays(7 * w)));
        summary.Plans.Should().AllSatisfy(p => p.Generation.Should().Be(1));
        PlanChecks.FollowRules(summary.Plans, await FavouritesAsync(client), SeedUsers.PreferencesOf(user));
    }

    [Fact]
    public async Task Default_generation_plans_four_weeks_and_the_calendar_shows_each()
    {
        using var client = await app.LogInAsync(16);
        var summary = await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week");

        summary.Weeks.Should().Be(PlanRules.DefaultWeeks);
        foreach (var week in summary.Plans)
        {
            var calendar = await ApiJson.GetAsync<WeekPlan>(client, $"/plan?week={PlanChecks.Format(week.Week)}");
            JsonSerializer.Serialize(calendar, ApiJson.Options).Should().Be(JsonSerializer.Serialize(week, ApiJson.Options));
        }

        using var after = await client.GetAsync($"/plan?week={PlanChecks.Format(PlanChecks.CurrentWeek.AddDays(28))}", TestContext.Current.CancellationToken);
        await Problems.ReadAsync(after, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Generating_next_to_planned_weeks_keeps_the_repeat_rule_against_them()
    {
        using var client = await app.LogInAsync(17);
        var favourites = await FavouritesAsync(client);

        // Weeks 2 and 3 first, then week 1 between the current week's later plan and them, then the current week.
        await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { startWeek = Week(2), weeks = 2 });
        await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { startWeek = Week(1), weeks = 1 });
        await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { startWeek = Week(0), weeks = 1 });

        PlanChecks.FollowRules(await CalendarAsync(client, 0, 4), favourites, SeedUsers.PreferencesOf(17));
    }

    [Fact]
    public async Task Generating_again_replaces_the_weeks_with_the_next_generation()
    {
        using var client = await app.LogInAsync(18);
        var first = await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { weeks = 2 });
        var second = await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { weeks = 3 });

        second.Plans.Select(p => p.Generation).Should().Equal(2, 2, 1);
        Meals(second.Plans[0]).Should().NotEqual(Meals(first.Plans[0]), "a new generation draws anew");
        PlanChecks.FollowRules(await CalendarAsync(client, 0, 3), await FavouritesAsync(client), SeedUsers.PreferencesOf(18));
    }

    [Fact]
    public async Task Regenerating_a_week_draws_anew_and_keeps_the_rules_against_its_neighbours()
    {
        using var client = await app.LogInAsync(19);
        var generated = await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { weeks = 3 });

        var regenerated = await ApiJson.PostAsync<WeekPlan>(client, $"/plan/regenerate-week?week={Week(1)}");
        var again = await ApiJson.PostAsync<WeekPlan>(client, $"/plan/regenerate-week?week={Week(1)}");

        regenerated.Week.Should().Be(PlanChecks.CurrentWeek.AddDays(7));
        regenerated.Generation.Should().Be(2);
        again.Generation.Should().Be(3);
        Meals(regenerated).Should().NotEqual(Meals(generated.Plans[1]));
        Meals(again).Should().NotEqual(Meals(regenerated));
        var calendar = await CalendarAsync(client, 0, 3);
        JsonSerializer.Serialize(calendar[1], ApiJson.Options).Should().Be(JsonSerializer.Serialize(again, ApiJson.Options));
        JsonSerializer.Serialize(calendar[0], ApiJson.Options).Should().Be(JsonSerializer.Serialize(generated.Plans[0], ApiJson.Options), "the neighbours stay as they were");
        JsonSerializer.Serialize(calendar[2], ApiJson.Options).Should().Be(JsonSerializer.Serialize(generated.Plans[2], ApiJson.Options));
        PlanChecks.FollowRules(calendar, await FavouritesAsync(client), SeedUsers.PreferencesOf(19));
    }

    [Fact]
    public async Task Too_few_quick_breakfasts_is_a_422_that_says_exactly_what_is_missing()
    {
        const int User = 21;
        using var client = await app.LogInAsync(User);
        var quickBreakfasts = (await ApiJson.GetAsync<List<RecipeSummary>>(client, "/favourites"))
            .Where(r => r.MealType == MealType.Breakfast && r.PrepMinutes <= PlanRules.WeekdayMaxPrepMinutes)
            .OrderBy(r => r.Id)
            .ToArray();
        quickBreakfasts.Length.Should().BeGreaterThan(4);
        foreach (var recipe in quickBreakfasts.Skip(4))
        {
            (await client.DeleteAsync($"/favourites/{recipe.Id}", TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        // Enough slow breakfasts for seven in all, so that the quick ones are the only shortfall.
        var slow = (await ApiJson.GetAsync<List<RecipeSummary>>(client, "/favourites")).Count(r => r.MealType == MealType.Breakfast && r.PrepMinutes > PlanRules.WeekdayMaxPrepMinutes);
        foreach (var recipe in PlanChecks.Catalogue.Values
            .Where(r => r.MealType == MealType.Breakfast && r.PrepMinutes > PlanRules.WeekdayMaxPrepMinutes && r.DietaryTags.Contains("vegetarian"))
            .OrderBy(r => r.Id)
            .Take(Math.Max(0, 3 - slow)))
        {
            (await client.PutAsync($"/favourites/{recipe.Id}", null, TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        using var response = await client.PostAsync("/plan/generate-multi-week", null, TestContext.Current.CancellationToken);

        var problem = await Problems.ReadAsync(response, HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("title").GetString().Should().Be("Too few suitable favourites.");
        problem.GetProperty("detail").GetString().Should().Be(
            "Your favourites cannot fill a plan: it needs 5 vegetarian breakfast recipes ready in ≤ 30 min for the weekdays of any 7 days; your favourites have 4. "
            + "Add favourites with PUT /favourites/{recipeId}, or change your dietary preferences with PUT /me/preferences.");
        var shortfall = problem.GetProperty("shortfalls").EnumerateArray().Single();
        shortfall.GetProperty("mealType").GetString().Should().Be("breakfast");
        shortfall.GetProperty("needed").GetInt32().Should().Be(5);
        shortfall.GetProperty("have").GetInt32().Should().Be(4);
    }

    [Fact]
    public async Task A_diet_the_favourites_cannot_serve_is_a_422_listing_every_shortfall()
    {
        using var client = await app.LogInAsync(22);
        (await client.PutAsync("/me/preferences", JsonContent("{\"dietaryPreferences\": [\"vegan\"]}"), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        using var response = await client.PostAsync("/plan/generate-multi-week", null, TestContext.Current.CancellationToken);

        var problem = await Problems.ReadAsync(response, HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("detail").GetString().Should().StartWith(
            "Your favourites cannot fill a plan: it needs 5 vegan breakfast recipes ready in ≤ 30 min for the weekdays of any 7 days; your favourites have 0; "
            + "it needs 7 different vegan breakfast recipes, as none may repeat within 7 days; your favourites have 0");
        using var plan = await client.GetAsync($"/plan?week={Week(0)}", TestContext.Current.CancellationToken);
        await Problems.ReadAsync(plan, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_plan_follows_the_preferences_set_before_it()
    {
        using var client = await app.LogInAsync(23);
        (await client.PutAsync("/me/preferences", JsonContent("{\"dietaryPreferences\": [\"vegetarian\", \"nut-free\"]}"), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var summary = await ApiJson.PostAsync<PlanSummary>(client, "/plan/generate-multi-week", new { weeks = 2 });

        PlanChecks.FollowRules(summary.Plans, await FavouritesAsync(client), ["nut-free", "vegetarian"]);
    }

    [Fact]
    public void Planner_fills_eight_weeks_from_the_fewest_favourites_the_rules_allow()
    {
        // Per meal type exactly 5 quick and 2 slow recipes, main ingredients all different: the weekend must take
        // the slow ones, or a weekday runs out. The planner has to find the only kind of arrangement there is.
        var favourites = new List<RecipeSummary>();
        foreach (var mealType in MealTypes.All)
        {
            for (var i = 0; i < 7; i++)
            {
                var id = ((int)mealType * 10) + i + 1;
                favourites.Add(new RecipeSummary(id, $"R{id}", mealType, i < 5 ? 20 : 60, $"main-{id}", []));
            }
        }

        var weeks = Enumerable.Range(0, 8).Select(w => new WeekToPlan(PlanChecks.CurrentWeek.AddDays(7 * w), 1)).ToArray();
        var outcome = MealPlanGenerator.Plan(1, favourites, [], weeks, []);

        outcome.Succeeded.Should().BeTrue(outcome.Problem);
        var all = outcome.Weeks.SelectMany(w => w.Days).ToArray();
        all.Should().HaveCount(56);
        foreach (var uses in all.SelectMany(d => d.Meals.Select(m => (d.Date, m.RecipeId))).GroupBy(x => x.RecipeId))
        {
            var dates = uses.Select(u => u.Date.DayNumber).Order().ToArray();
            dates.Zip(dates.Skip(1), (a, b) => b - a).Should().AllSatisfy(gap => gap.Should().BeGreaterThanOrEqualTo(7));
        }

        all.Where(d => PlanRules.IsWeekday(d.Date)).SelectMany(d => d.Meals).Should().AllSatisfy(m => m.PrepMinutes.Should().BeLessThanOrEqualTo(30));
        MealPlanGenerator.Plan(1, favourites, [], weeks, []).Weeks.Should().BeEquivalentTo(outcome.Weeks, o => o.WithStrictOrdering(), "the same inputs give the same plan");
    }

    [Fact]
    public void Planner_reports_each_rule_the_favourites_cannot_meet()
    {
        RecipeSummary Recipe(int id, MealType type, int prep) => new(id, $"R{id}", type, prep, $"main-{id}", ["vegetarian"]);
        var favourites = Enumerable.Range(1, 4).Select(i => Recipe(i, MealType.Breakfast, 10))
            .Concat(Enumerable.Range(5, 3).Select(i => Recipe(i, MealType.Breakfast, 45)))
            .Concat(Enumerable.Range(10, 7).Select(i => Recipe(i, MealType.Lunch, 10)))
            .Concat(Enumerable.Range(20, 6).Select(i => Recipe(i, MealType.Dinner, 10)))
            .ToArray();

        var shortfalls = MealPlanGenerator.CheckFavourites(favourites, ["vegetarian"]);

        shortfalls.Select(s => s.Message).Should().Equal(
            "needs 5 vegetarian breakfast recipes ready in ≤ 30 min for the weekdays of any 7 days; your favourites have 4",
            "needs 7 different vegetarian dinner recipes, as none may repeat within 7 days; your favourites have 6");
    }

    private static string Week(int offset) => PlanChecks.Format(PlanChecks.CurrentWeek.AddDays(7 * offset));

    private static int[] Meals(WeekPlan week) => [.. week.Days.SelectMany(d => d.Meals).Select(m => m.RecipeId)];

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task<HashSet<int>> FavouritesAsync(HttpClient client)
        => (await ApiJson.GetAsync<List<RecipeSummary>>(client, "/favourites")).Select(r => r.Id).ToHashSet();

    private static async Task<WeekPlan[]> CalendarAsync(HttpClient client, int from, int count)
    {
        var weeks = new WeekPlan[count];
        for (var i = 0; i < count; i++)
        {
            weeks[i] = await ApiJson.GetAsync<WeekPlan>(client, $"/plan?week={Week(from + i)}");
        }

        return weeks;
    }
}
