using System.Net.Http.Json;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>
/// Two separate databases and app instances answer byte for byte the same: plans are determined by the user,
/// the weeks and the generation number, so tests can assert them and latencies of runs are comparable.
/// </summary>
public sealed class DeterminismTests
{
    [Fact]
    public async Task Separate_instances_give_identical_plans_regenerations_shopping_lists_and_searches()
    {
        var answers = new List<string[]>();
        for (var instance = 0; instance < 2; instance++)
        {
            await using var database = await SampleDatabase.CreateAsync();
            await using var factory = new MealPlannerFactory(database.ConnectionString);
            using var client = await SampleApp.LogInAsync(factory, 7);
            var ct = TestContext.Current.CancellationToken;

            answers.Add(
            [
                await Body(await client.PostAsJsonAsync("/plan/generate-multi-week", new { startWeek = "2026-11-30", weeks = 3 }, ct)),
                await Body(await client.PostAsync("/plan/regenerate-week?week=2026-12-07", null, ct)),
                await Body(await client.GetAsync("/plan?week=2026-12-07", ct)),
                await Body(await client.GetAsync("/shopping?week=2026-12-14", ct)),
                await Body(await client.GetAsync("/recipes/777", ct)),
                await Body(await client.GetAsync("/recipes?search=soup&take=50", ct)),
            ]);
        }

        answers[1].Should().Equal(answers[0]);
    }

    private static async Task<string> Body(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            response.IsSuccessStatusCode.Should().BeTrue(body);
            return body;
        }
    }
}
