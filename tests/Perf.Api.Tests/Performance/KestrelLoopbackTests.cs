using Perf.Api.Tests.Support;
using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// The plan calendar through real sockets: the app on Kestrel at a free loopback port, so the HTTP
/// stack is measured too. It needs a factory of its own: one that has started its in-memory server
/// cannot switch to Kestrel.
/// </summary>
public sealed class KestrelLoopbackTests
{
    [Fact(Skip = PerfProfiles.FullProfileOnly, SkipUnless = nameof(PerfProfile.IsFull), SkipType = typeof(PerfProfile)), LatencyBudget(p95: 500, Route = "plan-calendar", ErrorRate = 0.01)]
    public async Task Plan_calendar_over_loopback()
    {
        await using var database = await SampleDatabase.CreateAsync();
        await using var factory = new MealPlannerFactory(database.ConnectionString);
        var target = LoadTarget.FromEnvironment(() => factory.WithKestrel().CreateTarget());
        var weeks = MealPlannerData.Weeks();
        var scenario = Scenario.Create("plan-calendar over loopback")
            .Setup(MealPlannerData.LogInAndPlanAsync)
            .Get("plan-calendar", u => $"/plan?week={weeks.Next(u)}", Check.Status(200), MealPlannerData.PlanHas21Meals)
            .WithThinkTime(PerfProfiles.Reading);

        await Load.RunAsync(target, scenario, PerfProfiles.Closed, cancellationToken: TestContext.Current.CancellationToken);
    }
}
