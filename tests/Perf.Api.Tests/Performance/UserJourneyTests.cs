using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// What a user does in one sitting, with statistics per step: logs in, generates a multi-week plan, browses
/// three weeks of the calendar, then opens the shopping list of the last week viewed. 100 users, each its own
/// account, pausing to read between pages. Each step has the seed's budget for its kind.
/// </summary>
/// <remarks>
/// No baseline gate here: every trial starts the 100 sittings together, so the first seconds are a burst of
/// 100 log-ins (about 4 s of CPU for the password hashing) and generations, and per-step p95 varies from trial
/// to trial by a factor of up to ten (measured: log-in 807, 569, 215, 268, 260 ms). A comparison would measure
/// that burst, not the code. Each route is gated by its own test at steady load (RouteBudgetTests,
/// MultiWeekGenerationTests); this test holds every step to its absolute budget. Under the full profile only: at 28 s
/// it was the pull-request stage's longest test, and its routes but the log-in are gated there by those tests.
/// </remarks>
public sealed class UserJourneyTests(MealPlannerFixture app) : IClassFixture<MealPlannerFixture>
{
    [Fact(Skip = PerfProfiles.FullProfileOnly, SkipUnless = nameof(PerfProfile.IsFull), SkipType = typeof(PerfProfile))]
    [RegressionGate(Enabled = false)]
    [LatencyBudget(p95: 1000, Route = "log-in", ErrorRate = 0.01)]
    [LatencyBudget(p95: 5000, Route = "generate-multi-week", ErrorRate = 0.01)]
    [LatencyBudget(p95: 500, Route = "plan-this-week", ErrorRate = 0.01)]
    [LatencyBudget(p95: 500, Route = "plan-next-week", ErrorRate = 0.01)]
    [LatencyBudget(p95: 500, Route = "plan-week-after", ErrorRate = 0.01)]
    [LatencyBudget(p95: 500, Route = "shopping-list", ErrorRate = 0.01)]
    public Task Log_in_generate_browse_weeks_and_shop()
    {
        var journey = Scenario.Create("meal-planning journey")
            .Post("log-in", "/auth/login", MealPlannerData.LoginBody, Check.Status(204))
            .Post("generate-multi-week", "/plan/generate-multi-week", MealPlannerData.GenerateBody, Check.Status(200))
            .Get("plan-this-week", "/plan?week=2026-11-23", Check.Status(200), MealPlannerData.PlanHas21Meals)
            .Get("plan-next-week", "/plan?week=2026-11-30", Check.Status(200), MealPlannerData.PlanHas21Meals)
            .Get("plan-week-after", "/plan?week=2026-12-07", Check.Status(200), MealPlannerData.PlanHas21Meals)
            .Get("shopping-list", "/shopping?week=2026-12-07", Check.Status(200), MealPlannerData.ShoppingListHasItems)
            .WithThinkTime(PerfProfiles.Browsing);
        return Load.RunAsync(app.Target, journey, PerfProfiles.Journey, cancellationToken: TestContext.Current.CancellationToken);
    }
}
