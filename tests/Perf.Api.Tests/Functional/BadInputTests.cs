using System.Net;
using System.Text.Json;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>
/// Bad input gets a 400 (or 404) with problem details naming the parameter and what a good value looks
/// like; never a 500. Today is pinned to Monday 2026-11-23: plans can be read from 2026-10-26 (4 weeks
/// back) and made from 2026-11-23 to 2027-05-24 (26 weeks ahead).
/// </summary>
public sealed class BadInputTests(SampleApp app) : IClassFixture<SampleApp>
{
    // User 40 is only ever refused: nothing it sends changes data.
    private const int User = 40;

    public static TheoryData<string, string, string, string> BadRequests { get; } = new()
    {
        // method, path, parameter named in "errors", text the message contains
        { "GET", "/plan", "week", "week is required: the Monday that starts the week, as YYYY-MM-DD, e.g. 2026-11-23." },
        { "GET", "/plan?week=", "week", "week is required" },
        { "GET", "/plan?week=not-a-date", "week", "week must be a date as YYYY-MM-DD, e.g. 2026-11-23; got 'not-a-date'." },
        { "GET", "/plan?week=23-11-2026", "week", "YYYY-MM-DD" },
        { "GET", "/plan?week=2026-02-30", "week", "YYYY-MM-DD" },
        { "GET", "/plan?week=2026-11-23T00:00", "week", "YYYY-MM-DD" },
        { "GET", "/plan?week=%00", "week", "YYYY-MM-DD" },
        { "GET", "/plan?week=2026-11-24", "week", "week must be a Monday; 2026-11-24 is a Tuesday. That week starts on 2026-11-23." },
        { "GET", "/plan?week=2026-11-29", "week", "is a Sunday" },
        { "GET", "/plan?week=2026-10-19", "week", "week 2026-10-19 is more than 4 weeks in the past; the earliest week is 2026-10-26." },
        { "GET", "/plan?week=0001-01-01", "week", "more than 4 weeks in the past" },
        { "GET", "/plan?week=2027-05-31", "week", "week 2027-05-31 is more than 26 weeks ahead; the latest week is 2027-05-24." },
        { "GET", "/plan?week=9999-12-27", "week", "more than 26 weeks ahead" },
        { "GET", "/plan?week=2026-11-23&week=2026-11-30", "week", "YYYY-MM-DD" },
        { "GET", "/shopping", "week", "week is required" },
        { "GET", "/shopping?week=soon", "week", "YYYY-MM-DD" },
        { "GET", "/shopping?week=2026-11-25", "week", "is a Wednesday" },
        { "GET", "/shopping?week=2024-11-25", "week", "more than 4 weeks in the past" },
        { "GET", "/shopping?week=9999-12-27", "week", "more than 26 weeks ahead" },
        { "POST", "/plan/regenerate-week", "week", "week is required" },
        { "POST", "/plan/regenerate-week?week=2026-12-01", "week", "is a Tuesday" },
        { "POST", "/plan/regenerate-week?week=2026-11-16", "week", "week 2026-11-16 is in the past; plans can be made from the current week, 2026-11-23, on." },
        { "POST", "/plan/regenerate-week?week=2027-05-31", "week", "more than 26 weeks ahead" },
        { "POST", "/plan/regenerate-week?week=2026-11-30", "week", "There is no plan for the week of 2026-11-30 to regenerate. Generate it first with POST /plan/generate-multi-week {\"startWeek\": \"2026-11-30\"}." },
        { "GET", "/recipes?take=0", "take", "from 1 to 100; got '0'" },
        { "GET", "/recipes?take=101", "take", "from 1 to 100; got '101'" },
        { "GET", "/recipes?take=-1", "take", "got '-1'" },
        { "GET", "/recipes?take=abc", "take", "got 'abc'" },
        { "GET", "/recipes?take=1.5", "take", "got '1.5'" },
        { "GET", "/recipes?take=99999999999999999999", "take", "from 1 to 100" },
        { "GET", "/recipes?search=" + new string('x', 101), "search", "at most 100 characters; got 101" },
        { "GET", "/recipes?search=a%00b", "search", "must not contain NUL characters" },
    };

    public static TheoryData<string, string, string, string> BadBodies { get; } = new()
    {
        // path, body, parameter named in "errors", text the message contains
        { "/plan/generate-multi-week", "{", "body", "The body is not valid JSON" },
        { "/plan/generate-multi-week", "{\"weeks\": 2,}", "body", "The body is not valid JSON" },
        { "/plan/generate-multi-week", "[]", "body", "The body must be a JSON object; got an array." },
        { "/plan/generate-multi-week", "\"2026-11-23\"", "body", "got a string" },
        { "/plan/generate-multi-week", "{\"start\": \"2026-11-23\"}", "body", "The body has unknown property 'start'; expected startWeek, weeks." },
        { "/plan/generate-multi-week", "{\"weeks\": 0}", "weeks", "weeks must be a whole number from 1 to 8; got 0." },
        { "/plan/generate-multi-week", "{\"weeks\": 9}", "weeks", "got 9" },
        { "/plan/generate-multi-week", "{\"weeks\": 2.5}", "weeks", "got 2.5" },
        { "/plan/generate-multi-week", "{\"weeks\": \"4\"}", "weeks", "got \"4\"" },
        { "/plan/generate-multi-week", "{\"weeks\": 99999999999}", "weeks", "from 1 to 8" },
        { "/plan/generate-multi-week", "{\"weeks\": true}", "weeks", "from 1 to 8" },
        { "/plan/generate-multi-week", "{\"startWeek\": 20261123}", "startWeek", "startWeek must be a string, the Monday as YYYY-MM-DD, e.g. 2026-11-23; got a number." },
        { "/plan/generate-multi-week", "{\"startWeek\": \"next monday\"}", "startWeek", "startWeek must be a date as YYYY-MM-DD" },
        { "/plan/generate-multi-week", "{\"startWeek\": \"\\u0000\"}", "startWeek", "YYYY-MM-DD" },
        { "/plan/generate-multi-week", "{\"startWeek\": \"\\ud800\"}", "startWeek", "YYYY-MM-DD" },
        { "/plan/generate-multi-week", "{\"startWeek\": \"2026-11-24\"}", "startWeek", "startWeek must be a Monday; 2026-11-24 is a Tuesday." },
        { "/plan/generate-multi-week", "{\"startWeek\": \"2026-11-16\"}", "startWeek", "startWeek 2026-11-16 is in the past; plans can be made from the current week, 2026-11-23, on." },
        { "/plan/generate-multi-week", "{\"startWeek\": \"2027-05-31\"}", "startWeek", "more than 26 weeks ahead" },
        { "/plan/generate-multi-week", "{\"startWeek\": \"2027-05-17\", \"weeks\": 3}", "weeks", "3 weeks from 2027-05-17 would reach the week of 2027-05-31, beyond the latest week that can be planned, 2027-05-24. Plan fewer weeks." },
        { "/auth/login", "", "body", "The body is required" },
        { "/auth/login", "{", "body", "not valid JSON" },
        { "/auth/login", "{}", "email", "email is required." },
        { "/auth/login", "{\"email\": \"user040@mealplanner.test\"}", "password", "password is required." },
        { "/auth/login", "{\"email\": 40, \"password\": \"x\"}", "email", "email must be a string; got a number." },
        { "/auth/login", "{\"email\": \"  \", \"password\": \"x\"}", "email", "non-empty" },
        { "/auth/login", "{\"email\": \"a\\u0000b\", \"password\": \"x\"}", "email", "without NUL characters" },
        { "/auth/login", "{\"email\": \"" + new string('e', 257) + "\", \"password\": \"x\"}", "email", "at most 256 characters; got 257" },
        { "/auth/login", "{\"email\": \"a\", \"password\": \"x\", \"remember\": true}", "body", "unknown property 'remember'" },
    };

    public static TheoryData<string, string, string> BadPuts { get; } = new()
    {
        { "{\"dietaryPreferences\": [\"keto\"]}", "dietaryPreferences", "dietaryPreferences has 'keto'; each must be one of dairy-free, gluten-free, nut-free, vegan, vegetarian." },
        { "{\"dietaryPreferences\": [1]}", "dietaryPreferences", "has a number" },
        { "{\"dietaryPreferences\": \"vegan\"}", "dietaryPreferences", "dietaryPreferences is required: an array of tags" },
        { "{}", "dietaryPreferences", "is required" },
        { "", "body", "The body is required" },
        { "{\"diet\": []}", "body", "unknown property 'diet'" },
        { "nonsense", "body", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_query_is_a_400_naming_the_parameter(string method, string path, string parameter, string message)
    {
        using var client = await app.LogInAsync(User);
        using var response = await ApiJson.SendAsync(client, new HttpMethod(method), path);

        (await Problems.InvalidAsync(response, parameter)).Should().Contain(message);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_body_is_a_400_naming_the_field(string path, string body, string parameter, string message)
    {
        using var client = await app.LogInAsync(User);
        using var response = await ApiJson.SendAsync(client, HttpMethod.Post, path, body);

        (await Problems.InvalidAsync(response, parameter)).Should().Contain(message);
    }

    [Theory]
    [MemberData(nameof(BadPuts))]
    public async Task Bad_preferences_are_a_400_naming_the_field(string body, string parameter, string message)
    {
        using var client = await app.LogInAsync(User);
        using var response = await ApiJson.SendAsync(client, HttpMethod.Put, "/me/preferences", body);

        (await Problems.InvalidAsync(response, parameter)).Should().Contain(message);
    }

    [Fact]
    public async Task An_oversized_body_is_a_400_not_a_read_of_everything()
    {
        using var client = await app.LogInAsync(User);
        using var response = await ApiJson.SendAsync(client, HttpMethod.Post, "/plan/generate-multi-week", "{\"weeks\": 1, \"pad\": \"" + new string(' ', 20_000) + "\"}");

        (await Problems.InvalidAsync(response, "body")).Should().Contain("at most 16384 are accepted");
    }

    [Theory]
    [InlineData("GET", "/recipes/0")]
    [InlineData("GET", "/recipes/1001")]
    [InlineData("GET", "/recipes/-5")]
    [InlineData("GET", "/recipes/abc")]
    [InlineData("GET", "/recipes/99999999999")]
    [InlineData("GET", "/no-such-route")]
    [InlineData("PUT", "/favourites/1001")]
    [InlineData("PUT", "/favourites/0")]
    [InlineData("PUT", "/favourites/abc")]
    [InlineData("GET", "/plan?week=2026-12-28")]
    [InlineData("GET", "/plan?week=2026-10-26")]
    [InlineData("GET", "/shopping?week=2027-05-24")]
    public async Task Unknown_recipe_route_or_plan_is_a_404_with_problem_details(string method, string path)
    {
        using var client = await app.LogInAsync(User);
        using var response = await ApiJson.SendAsync(client, new HttpMethod(method), path);

        await Problems.ReadAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_recipe_says_which_id_and_how_to_find_recipes()
    {
        using var client = app.Anonymous();
        using var response = await client.GetAsync("/recipes/1001", TestContext.Current.CancellationToken);
        var problem = await Problems.ReadAsync(response, HttpStatusCode.NotFound);

        problem.GetProperty("title").GetString().Should().Be("Recipe not found.");
        problem.GetProperty("detail").GetString().Should().Be("There is no recipe with id 1001. Find recipes with GET /recipes?search=.");
    }

    [Theory]
    [InlineData("GET", "/plan/generate-multi-week")]
    [InlineData("DELETE", "/plan")]
    [InlineData("GET", "/auth/login")]
    public async Task Wrong_method_is_a_405_with_problem_details(string method, string path)
    {
        using var client = await app.LogInAsync(User);
        using var response = await ApiJson.SendAsync(client, new HttpMethod(method), path);

        await Problems.ReadAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Theory]
    [InlineData("GET", "/plan?week=2026-10-26")]
    [InlineData("GET", "/plan?week=2027-05-24")]
    [InlineData("GET", "/shopping?week=2026-10-26")]
    [InlineData("GET", "/recipes?take=1")]
    [InlineData("GET", "/recipes?take=100")]
    [InlineData("GET", "/recipes?search=%20%20")]
    [InlineData("GET", "/recipes?search=%E2%9C%93")]
    [InlineData("GET", "/recipes?search=%ED%A0%80")]
    public async Task Values_at_the_edges_are_not_a_400(string method, string path)
    {
        using var client = await app.LogInAsync(User);
        using var response = await ApiJson.SendAsync(client, new HttpMethod(method), path);

        // Reading a week with no plan is a 404; the point is that the week itself is accepted.
        response.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.NotFound], await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Regenerating_before_generating_is_a_400_that_says_to_generate_first()
    {
        using var client = await app.LogInAsync(User);
        using var response = await client.PostAsync("/plan/regenerate-week?week=2026-11-23", null, TestContext.Current.CancellationToken);

        var message = await Problems.InvalidAsync(response, "week");
        message.Should().Be("There is no plan for the week of 2026-11-23 to regenerate. Generate it first with POST /plan/generate-multi-week {\"startWeek\": \"2026-11-23\"}.");
    }

    [Fact]
    public async Task Problem_details_are_json_with_a_trace_id()
    {
        using var client = await app.LogInAsync(User);
        using var response = await client.GetAsync("/plan?week=soon", TestContext.Current.CancellationToken);
        var problem = await Problems.ReadAsync(response, HttpStatusCode.BadRequest);

        problem.GetProperty("title").GetString().Should().Be("The 'week' parameter is not valid.");
        problem.GetProperty("traceId").ValueKind.Should().Be(JsonValueKind.String);
    }
}
