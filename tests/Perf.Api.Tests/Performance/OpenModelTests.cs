using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// Requests arrive at a fixed rate whatever the app's speed, as real users do, and latency counts from
/// each request's intended start: a stall shows up in the tail instead of slowing the load down
/// (no coordinated omission). Hence a p99 budget, not only a p95.
/// </summary>
public sealed class OpenModelTests(MealPlannerFixture app) : IClassFixture<MealPlannerFixture>
{
    [Fact(Skip = PerfProfiles.FullProfileOnly, SkipUnless = nameof(PerfProfile.IsFull), SkipType = typeof(PerfProfile)), LatencyBudget(p99: 500, Route = "plan-calendar", ErrorRate = 0.01)]
    public Task Plan_calendar_at_a_constant_arrival_rate()
    {
        var weeks = MealPlannerData.Weeks();
        var scenario = Scenario.Create("plan-calendar arrivals")
            .Setup(MealPlannerData.LogInAndPlanAsync)
            .Get("plan-calendar", u => $"/plan?week={weeks.Next(u)}", Check.Status(200));
        return Load.RunAsync(app.Target, scenario, LoadProfile.ConstantRate(PerfProfiles.ArrivalsPerSecond, PerfProfiles.Hold, maxConcurrency: PerfProfiles.Users), cancellationToken: TestContext.Current.CancellationToken);
    }
}
