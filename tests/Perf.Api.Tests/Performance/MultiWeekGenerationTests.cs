using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// The seed's AC1/AC2: 100 concurrent users, each logged in with its own session, generate multi-week meal
/// plans from their favourites; generation answers within 5 s at the 95th percentile and fewer than 1% fail.
/// </summary>
public sealed class MultiWeekGenerationTests(MealPlannerFixture app) : IClassFixture<MealPlannerFixture>
{
    [Fact, LatencyBudget(p95: 5000, Route = "generate-multi-week", ErrorRate = 0.01)]
    public Task Generate_multi_week_plans_with_100_users()
    {
        var scenario = Scenario.Create("generate-multi-week")
            .Setup(MealPlannerData.LogInAsync)
            .Post("generate-multi-week", "/plan/generate-multi-week", MealPlannerData.GenerateBody, Check.Status(200))
            .WithThinkTime(PerfProfiles.Deciding);
        return Load.RunAsync(app.Target, scenario, PerfProfiles.Generating, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact(Skip = PerfProfiles.FullProfileOnly, SkipUnless = nameof(PerfProfile.IsFull), SkipType = typeof(PerfProfile)), LatencyBudget(p95: 5000, Route = "regenerate-week", ErrorRate = 0.01)]
    public Task Regenerate_single_weeks_with_100_users()
    {
        var weeks = MealPlannerData.Weeks();
        var scenario = Scenario.Create("regenerate-week")
            .Setup(MealPlannerData.LogInAndPlanAsync)
            .Post("regenerate-week", u => $"/plan/regenerate-week?week={weeks.Next(u)}", checks: Check.Status(200))
            .WithThinkTime(PerfProfiles.Deciding);
        return Load.RunAsync(app.Target, scenario, PerfProfiles.Generating, cancellationToken: TestContext.Current.CancellationToken);
    }
}
