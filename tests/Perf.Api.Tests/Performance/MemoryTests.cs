using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// The seed's memory requirements: "memory usage stays under 100 MB per 1,000 requests" (full profile: the seed's
/// 6-minute run) and "no memory leaks during extended tests" (soak profile: 100 users browsing for 30 minutes, the
/// heap, handles, threads and database connections sampled every 5 s). Neither is gated against a baseline: the
/// budgets and the leak check are absolute. The assembly runs its tests one at a time, so the heap is this test's.
/// </summary>
public sealed class MemoryTests(MealPlannerFixture app) : IClassFixture<MealPlannerFixture>
{
    [Fact(Skip = PerfProfiles.FullProfileOnly, SkipUnless = nameof(PerfProfile.IsFull), SkipType = typeof(PerfProfile))]
    [RegressionGate(Enabled = false)]
    [MemoryBudget(GrowthPer1000RequestsMegabytes = 100, HeapAfterRunMegabytes = 1024)]
    [LatencyBudget(p95: 500, ErrorRate = 0.01)]
    public Task Browsing_plans_and_lists_stays_under_100_MB_per_1000_requests()
        => Load.RunAsync(app.Target, Browsing(), PerfProfiles.Closed, cancellationToken: TestContext.Current.CancellationToken);

    [Fact(Skip = PerfProfiles.SoakProfileOnly, SkipUnless = nameof(PerfProfile.IsSoak), SkipType = typeof(PerfProfile))]
    [RegressionGate(Enabled = false)]
    [LeakCheck]
    [LatencyBudget(p95: 500, ErrorRate = 0.01)]
    public Task Browsing_for_half_an_hour_leaks_nothing()
        => Load.RunAsync(app.Target, Browsing(), LoadProfile.Users(PerfProfiles.Users, PerfProfiles.SoakHold, rampUp: TimeSpan.FromSeconds(30)), cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Reading users moving between their plan calendar and shopping list, week after week.</summary>
    private static Scenario Browsing()
    {
        var weeks = MealPlannerData.Weeks();
        return Scenario.Create("browsing")
            .Setup(MealPlannerData.LogInAndPlanAsync)
            .Get("plan-calendar", u => $"/plan?week={weeks.Next(u)}", Check.Status(200), MealPlannerData.PlanHas21Meals)
            .Get("shopping-list", u => $"/shopping?week={weeks.Next(u)}", Check.Status(200), MealPlannerData.ShoppingListHasItems)
            .WithThinkTime(PerfProfiles.Reading);
    }
}
