using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// The seed's route targets (AC3): with 100 concurrent users, each logged in with its own session, the plan
/// calendar and the shopping list answer within 500 ms at the 95th percentile, and fewer than 1% of requests fail.
/// </summary>
public sealed class RouteBudgetTests(MealPlannerFixture app) : IClassFixture<MealPlannerFixture>
{
    /// <summary>The common case in one line: a public route at the request rate 100 reading users produce.</summary>
    [Fact, LatencyBudget(p95: 500, ErrorRate = 0.01)]
    public Task Recipe_search_in_one_line()
        => Load.RunAsync(app.Target, "GET /recipes?search=curry&take=20", LoadProfile.ConstantRate(PerfProfiles.ArrivalsPerSecond, PerfProfiles.Hold, maxConcurrency: PerfProfiles.Users), cancellationToken: TestContext.Current.CancellationToken);

    [Fact, LatencyBudget(p95: 500, Route = "plan-calendar", ErrorRate = 0.01)]
    public Task Plan_calendar_across_weeks()
    {
        var weeks = MealPlannerData.Weeks();
        var scenario = Scenario.Create("plan-calendar")
            .Setup(MealPlannerData.LogInAndPlanAsync)
            .Get("plan-calendar", u => $"/plan?week={weeks.Next(u)}", Check.Status(200), MealPlannerData.PlanHas21Meals)
            .WithThinkTime(PerfProfiles.Reading);
        return Load.RunAsync(app.Target, scenario, PerfProfiles.Closed, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact, LatencyBudget(p95: 500, Route = "shopping-list", ErrorRate = 0.01)]
    public Task Shopping_list_across_weeks()
    {
        var weeks = MealPlannerData.Weeks();
        var scenario = Scenario.Create("shopping-list")
            .Setup(MealPlannerData.LogInAndPlanAsync)
            .Get("shopping-list", u => $"/shopping?week={weeks.Next(u)}", Check.Status(200), MealPlannerData.ShoppingListHasItems)
            .WithThinkTime(PerfProfiles.Reading);
        return Load.RunAsync(app.Target, scenario, PerfProfiles.Closed, cancellationToken: TestContext.Current.CancellationToken);
    }
}
