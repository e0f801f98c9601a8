using System.Net;
using MealPlanner.Api.Accounts;
using MealPlanner.Api.Data;
using MealPlanner.Api.Recipes;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>Favourites (what plans are drawn from) and dietary preferences, as the signed-in user manages them.</summary>
public sealed class FavouritesAndPreferencesTests(SampleApp app) : IClassFixture<SampleApp>
{
    [Fact]
    public async Task Favourites_are_the_seeded_fifty_sorted_by_name()
    {
        using var client = await app.LogInAsync(60);
        var favourites = await ApiJson.GetAsync<List<RecipeSummary>>(client, "/favourites");

        favourites.Should().HaveCount(SeedUsers.FavouritesPerUser);
        favourites.Select(r => r.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);
        favourites.Should().AllSatisfy(r => r.Should().BeEquivalentTo(PlanChecks.Catalogue[r.Id].ToSummary()));
    }

    [Fact]
    public async Task Adding_and_removing_a_favourite_is_idempotent()
    {
        using var client = await app.LogInAsync(61);
        var before = (await ApiJson.GetAsync<List<RecipeSummary>>(client, "/favourites")).Select(r => r.Id).ToHashSet();
        var recipe = Enumerable.Range(1, 1000).First(id => !before.Contains(id));

        for (var i = 0; i < 2; i++)
        {
            (await client.PutAsync($"/favourites/{recipe}", null, TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        var added = await ApiJson.GetAsync<List<RecipeSummary>>(client, "/favourites");
        added.Select(r => r.Id).Should().BeEquivalentTo(before.Append(recipe));

        for (var i = 0; i < 2; i++)
        {
            (await client.DeleteAsync($"/favourites/{recipe}", TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        (await ApiJson.GetAsync<List<RecipeSummary>>(client, "/favourites")).Select(r => r.Id).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task A_favourite_must_be_a_known_recipe()
    {
        using var client = await app.LogInAsync(62);
        using var response = await client.PutAsync("/favourites/1001", null, TestContext.Current.CancellationToken);

        var problem = await Problems.ReadAsync(response, HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Be("There is no recipe with id 1001. Find recipes with GET /recipes?search=.");
    }

    [Theory]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(64)]
    public async Task Preferences_are_the_seeded_ones(int user)
    {
        using var client = await app.LogInAsync(user);

        (await ApiJson.GetAsync<Preferences>(client, "/me/preferences")).DietaryPreferences.Should().Equal(SeedUsers.PreferencesOf(user));
    }

    [Fact]
    public async Task Preferences_are_stored_sorted_without_repeats_and_can_be_cleared()
    {
        using var client = await app.LogInAsync(63);
        using var put = await ApiJson.SendAsync(client, HttpMethod.Put, "/me/preferences", "{\"dietaryPreferences\": [\"vegetarian\", \"gluten-free\", \"vegetarian\"]}");
        put.StatusCode.Should().Be(HttpStatusCode.OK);

        (await ApiJson.GetAsync<Preferences>(client, "/me/preferences")).DietaryPreferences.Should().Equal("gluten-free", "vegetarian");
        (await ApiJson.GetAsync<Account>(client, "/me")).DietaryPreferences.Should().Equal("gluten-free", "vegetarian");

        using var clear = await ApiJson.SendAsync(client, HttpMethod.Put, "/me/preferences", "{\"dietaryPreferences\": []}");
        clear.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ApiJson.GetAsync<Preferences>(client, "/me/preferences")).DietaryPreferences.Should().BeEmpty();
    }
}
