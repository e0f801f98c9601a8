using System.Net;
using MealPlanner.Api.Accounts;
using MealPlanner.Api.Data;
using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using MealPlanner.Api.Shopping;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>Each user sees and changes only their own plans, shopping lists, favourites and preferences.</summary>
public sealed class OwnershipTests(SampleApp app) : IClassFixture<SampleApp>
{
    [Fact]
    public async Task A_users_plan_and_shopping_list_are_invisible_to_another_user()
    {
        using var alice = await app.LogInAsync(50);
        using var bob = await app.LogInAsync(51);
        var week = PlanChecks.Format(PlanChecks.CurrentWeek);
        var alicesPlan = await ApiJson.PostAsync<PlanSummary>(alice, "/plan/generate-multi-week", new { weeks = 2 });

        await Problems.ReadAsync(await bob.GetAsync($"/plan?week={week}", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        await Problems.ReadAsync(await bob.GetAsync($"/shopping?week={week}", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        await Problems.InvalidAsync(await bob.PostAsync($"/plan/regenerate-week?week={week}", null, TestContext.Current.CancellationToken), "week");

        var bobsPlan = await ApiJson.PostAsync<PlanSummary>(bob, "/plan/generate-multi-week", new { weeks = 2 });
        var alicesWeek = await ApiJson.GetAsync<WeekPlan>(alice, $"/plan?week={week}");
        var bobsWeek = await ApiJson.GetAsync<WeekPlan>(bob, $"/plan?week={week}");

        alicesWeek.Should().BeEquivalentTo(alicesPlan.Plans[0], "Bob's generation left Alice's plan alone");
        bobsWeek.Should().BeEquivalentTo(bobsPlan.Plans[0]);
        PlanChecks.FollowRules([alicesWeek], await FavouriteIdsAsync(alice), SeedUsers.PreferencesOf(50));
        PlanChecks.FollowRules([bobsWeek], await FavouriteIdsAsync(bob), SeedUsers.PreferencesOf(51));

        var alicesList = await ApiJson.GetAsync<ShoppingList>(alice, $"/shopping?week={week}");
        var bobsList = await ApiJson.GetAsync<ShoppingList>(bob, $"/shopping?week={week}");
        alicesList.Items.Sum(i => i.UsedIn).Should().Be(IngredientLines(alicesWeek));
        bobsList.Items.Sum(i => i.UsedIn).Should().Be(IngredientLines(bobsWeek));
        alicesList.Items.Should().NotBeEquivalentTo(bobsList.Items);
    }

    [Fact]
    public async Task Regenerating_a_week_changes_only_the_callers_plan()
    {
        using var alice = await app.LogInAsync(52);
        using var bob = await app.LogInAsync(53);
        var week = PlanChecks.Format(PlanChecks.CurrentWeek);
        await ApiJson.PostAsync<PlanSummary>(alice, "/plan/generate-multi-week", new { weeks = 1 });
        var bobsPlan = await ApiJson.PostAsync<PlanSummary>(bob, "/plan/generate-multi-week", new { weeks = 1 });

        await ApiJson.PostAsync<WeekPlan>(alice, $"/plan/regenerate-week?week={week}");

        (await ApiJson.GetAsync<WeekPlan>(bob, $"/plan?week={week}")).Should().BeEquivalentTo(bobsPlan.Plans[0]);
    }

    [Fact]
    public async Task Favourites_and_preferences_are_per_user()
    {
        using var alice = await app.LogInAsync(54);
        using var bob = await app.LogInAsync(55);
        var bobsFavourites = await FavouriteIdsAsync(bob);
        var bobsPreferences = await ApiJson.GetAsync<Preferences>(bob, "/me/preferences");
        var alicesFavourites = await FavouriteIdsAsync(alice);
        var newFavourite = Enumerable.Range(1, 1000).First(id => !bobsFavourites.Contains(id) && !alicesFavourites.Contains(id));

        (await alice.PutAsync($"/favourites/{newFavourite}", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        (await alice.DeleteAsync($"/favourites/{alicesFavourites.Min()}", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        (await alice.PutAsync("/me/preferences", new StringContent("{\"dietaryPreferences\": [\"gluten-free\"]}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        (await FavouriteIdsAsync(alice)).Should().Contain(newFavourite);
        (await FavouriteIdsAsync(bob)).Should().BeEquivalentTo(bobsFavourites);
        (await ApiJson.GetAsync<Preferences>(bob, "/me/preferences")).Should().BeEquivalentTo(bobsPreferences);
        (await ApiJson.GetAsync<Preferences>(alice, "/me/preferences")).DietaryPreferences.Should().Equal("gluten-free");
        (await ApiJson.GetAsync<Account>(alice, "/me")).Id.Should().Be(54);
        (await ApiJson.GetAsync<Account>(bob, "/me")).Id.Should().Be(55);
    }

    private static int IngredientLines(WeekPlan week) => week.Days.SelectMany(d => d.Meals).Sum(m => PlanChecks.Catalogue[m.RecipeId].Ingredients.Count);

    private static async Task<HashSet<int>> FavouriteIdsAsync(HttpClient client)
        => (await ApiJson.GetAsync<List<RecipeSummary>>(client, "/favourites")).Select(r => r.Id).ToHashSet();
}
