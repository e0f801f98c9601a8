using System.Net;
using System.Text.Json;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>Bad input gets a 400 (or 404) with problem details naming the parameter; never a 500.</summary>
public sealed class BadInputTests(MealPlannerFactory factory) : IClassFixture<MealPlannerFactory>
{
    public static TheoryData<string, string, string> BadRequests { get; } = new()
    {
        // path, parameter named in "errors", text the message contains
        { "/plan", "week", "week is required" },
        { "/plan?week=", "week", "week is required" },
        { "/plan?week=not-a-date", "week", "YYYY-MM-DD" },
        { "/plan?week=23-11-2026", "week", "YYYY-MM-DD" },
        { "/plan?week=2026-02-30", "week", "YYYY-MM-DD" },
        { "/plan?week=2026-11-23T00:00", "week", "YYYY-MM-DD" },
        { "/plan?week=%00", "week", "YYYY-MM-DD" },
        { "/plan?week=2026-11-24", "week", "2026-11-24 is a Tuesday. That week starts on 2026-11-23" },
        { "/plan?week=2026-11-29", "week", "is a Sunday" },
        { "/plan?week=2025-11-17", "week", "more than 52 weeks in the past; the earliest week is 2025-11-24" },
        { "/plan?week=0001-01-01", "week", "more than 52 weeks in the past" },
        { "/plan?week=2027-11-29", "week", "more than 52 weeks ahead; the latest week is 2027-11-22" },
        { "/plan?week=9999-12-27", "week", "more than 52 weeks ahead" },
        { "/plan?week=2026-11-23&week=2026-11-30", "week", "YYYY-MM-DD" },
        { "/shopping", "week", "week is required" },
        { "/shopping?week=soon", "week", "YYYY-MM-DD" },
        { "/shopping?week=2026-11-25", "week", "is a Wednesday" },
        { "/shopping?week=2024-11-25", "week", "more than 52 weeks in the past" },
        { "/shopping?week=9999-12-27", "week", "more than 52 weeks ahead" },
        { "/recipes?take=0", "take", "from 1 to 100; got '0'" },
        { "/recipes?take=101", "take", "from 1 to 100; got '101'" },
        { "/recipes?take=-1", "take", "got '-1'" },
        { "/recipes?take=abc", "take", "got 'abc'" },
        { "/recipes?take=1.5", "take", "got '1.5'" },
        { "/recipes?take=99999999999999999999", "take", "from 1 to 100" },
        { "/recipes?search=" + new string('x', 101), "search", "at most 100 characters; got 101" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_with_problem_details(string path, string parameter, string message)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("status").GetInt32().Should().Be(400);
        var errors = problem.RootElement.GetProperty("errors").GetProperty(parameter);
        errors[0].GetString().Should().Contain(message);
    }

    [Theory]
    [InlineData("/recipes/0")]
    [InlineData("/recipes/1001")]
    [InlineData("/recipes/-5")]
    [InlineData("/recipes/abc")]
    [InlineData("/recipes/99999999999")]
    [InlineData("/no-such-route")]
    public async Task Unknown_recipe_or_route_is_a_404_with_problem_details(string path)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("status").GetInt32().Should().Be(404);
    }

    [Fact]
    public async Task Unknown_recipe_says_which_id_and_how_to_find_recipes()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/recipes/1001", TestContext.Current.CancellationToken);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        problem.RootElement.GetProperty("title").GetString().Should().Be("Recipe not found.");
        problem.RootElement.GetProperty("detail").GetString().Should().Be("There is no recipe with id 1001. Find recipes with GET /recipes?search=.");
    }

    [Theory]
    [InlineData("/plan?week=2025-11-24")]
    [InlineData("/plan?week=2027-11-22")]
    [InlineData("/shopping?week=2025-11-24")]
    [InlineData("/recipes?take=1")]
    [InlineData("/recipes?take=100")]
    [InlineData("/recipes?search=%20%20")]
    [InlineData("/recipes?search=%E2%9C%93")]
    public async Task Values_at_the_edges_are_accepted(string path)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
