using MealPlanner.Api.Recipes;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>The catalogue as generated, and as the public recipe endpoints serve it from the database.</summary>
public sealed class RecipeTests(SampleApp app) : IClassFixture<SampleApp>
{
    private static readonly RecipeCatalogue Catalogue = RecipeCatalogue.Generate();

    [Fact]
    public void Catalogue_has_1000_recipes_of_6_to_15_ingredients_with_unique_names()
    {
        Catalogue.Recipes.Should().HaveCount(1000);
        Catalogue.Recipes.Select(r => r.Id).Should().Equal(Enumerable.Range(1, 1000));
        Catalogue.Recipes.Select(r => r.Name).Should().OnlyHaveUniqueItems();
        Catalogue.Recipes.Should().AllSatisfy(r =>
        {
            r.Ingredients.Count.Should().BeInRange(6, 15, $"recipe {r.Id} '{r.Name}' needs 6 to 15 ingredients");
            r.Ingredients.Select(i => i.Name).Should().OnlyHaveUniqueItems($"recipe {r.Id} lists each ingredient once");
            r.Ingredients.Should().AllSatisfy(i => i.Quantity.Should().BePositive());
            r.PrepMinutes.Should().BePositive();
        });
        Catalogue.Recipes.GroupBy(r => r.MealType).Select(g => g.Count()).Should().AllSatisfy(n => n.Should().BeInRange(333, 334));
    }

    [Fact]
    public void Dietary_tags_follow_from_the_ingredients()
    {
        string[] meat = ["chicken breast", "beef mince", "pork shoulder", "turkey mince", "bacon", "salmon fillet", "cod fillet", "prawns", "tuna"];
        foreach (var recipe in Catalogue.Recipes)
        {
            var names = recipe.Ingredients.Select(i => i.Name).ToHashSet();
            recipe.DietaryTags.Contains("vegetarian").Should().Be(!names.Overlaps(meat), $"recipe {recipe.Id} '{recipe.Name}' has {string.Join(", ", names)}");
            if (recipe.DietaryTags.Contains("vegan"))
            {
                recipe.DietaryTags.Should().Contain("vegetarian");
                names.Should().NotIntersectWith(["eggs", "milk", "butter", "honey", "greek yogurt", "cheddar", "feta"]);
            }

            if (recipe.DietaryTags.Contains("gluten-free"))
            {
                names.Should().NotIntersectWith(["flour", "bread", "pasta", "tortillas", "noodles", "soy sauce"]);
            }
        }
    }

    [Fact]
    public void Main_ingredient_is_the_first_ingredient_and_names_the_recipe_family()
    {
        Catalogue.Recipes.Should().AllSatisfy(r => r.Ingredients[0].Name.Should().Be(r.MainIngredient, $"recipe {r.Id} '{r.Name}'"));
        Catalogue.Recipes.Select(r => r.MainIngredient).Distinct().Count().Should().BeGreaterThan(20, "a day's meals must be able to vary");
    }

    [Fact]
    public void Catalogue_is_the_same_on_every_generation()
    {
        var again = RecipeCatalogue.Generate();
        again.Recipes.Should().BeEquivalentTo(Catalogue.Recipes, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Listing_without_search_counts_the_whole_catalogue_and_takes_20_by_default()
    {
        using var client = app.Anonymous();
        var page = await ApiJson.GetAsync<RecipeSearchResult>(client, "/recipes");

        page.Total.Should().Be(1000);
        page.Take.Should().Be(20);
        page.Items.Should().HaveCount(20);
        page.Items.Select(r => r.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public async Task Search_matches_names_case_insensitively_in_name_order()
    {
        using var client = app.Anonymous();
        var page = await ApiJson.GetAsync<RecipeSearchResult>(client, "/recipes?search=CURRY&take=100");

        var expected = Catalogue.Recipes.Where(r => r.Name.Contains("curry", StringComparison.OrdinalIgnoreCase)).ToArray();
        expected.Should().NotBeEmpty();
        page.Total.Should().Be(expected.Length);
        page.Items.Select(r => r.Id).Should().BeEquivalentTo(expected.Take(100).Select(r => r.Id));
        page.Items.Select(r => r.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public async Task Take_limits_the_page_but_not_the_total()
    {
        using var client = app.Anonymous();
        var page = await ApiJson.GetAsync<RecipeSearchResult>(client, "/recipes?search=bowl&take=3");

        page.Items.Should().HaveCount(3);
        page.Total.Should().Be(Catalogue.Recipes.Count(r => r.Name.Contains("bowl", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("a_b")]
    [InlineData(@"back\slash")]
    public async Task Search_text_wildcards_match_literally(string search)
    {
        using var client = app.Anonymous();
        var page = await ApiJson.GetAsync<RecipeSearchResult>(client, $"/recipes?search={Uri.EscapeDataString(search)}");

        page.Total.Should().Be(0, "no recipe name contains these characters, so they must not act as LIKE wildcards");
    }

    [Fact]
    public async Task Search_with_no_match_is_an_empty_page()
    {
        using var client = app.Anonymous();
        var page = await ApiJson.GetAsync<RecipeSearchResult>(client, "/recipes?search=zzz-no-such-dish");

        page.Total.Should().Be(0);
        page.Items.Should().BeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    [InlineData(1000)]
    public async Task Recipe_by_id_has_its_ingredients(int id)
    {
        using var client = app.Anonymous();
        var recipe = await ApiJson.GetAsync<Recipe>(client, $"/recipes/{id}");

        recipe.Should().BeEquivalentTo(Catalogue.Recipes[id - 1], o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Health_answers_healthy()
    {
        using var client = app.Anonymous();
        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        ((int)response.StatusCode).Should().Be(200);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().Be("Healthy");
    }
}
