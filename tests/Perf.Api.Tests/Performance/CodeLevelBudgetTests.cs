using PerfRegression;
using PerfRegression.FluentAssertions;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// Budgets stated in code with FluentAssertions instead of attributes, for when the limit is computed
/// or several runs are compared. [PerfTest] puts it in the Performance category and under the
/// regression gate, like a budget attribute would. Under the full profile only: both routes are gated on pull requests
/// by <see cref="RouteBudgetTests"/>, and this is the same budget stated another way.
/// </summary>
public sealed class CodeLevelBudgetTests(MealPlannerFixture app) : IClassFixture<MealPlannerFixture>
{
    [Fact(Skip = PerfProfiles.FullProfileOnly, SkipUnless = nameof(PerfProfile.IsFull), SkipType = typeof(PerfProfile)), PerfTest]
    public async Task Plan_and_shopping_list_meet_their_budgets()
    {
        var weeks = MealPlannerData.Weeks();
        var scenario = Scenario.Create("plan then shop")
            .Setup(MealPlannerData.LogInAndPlanAsync)
            .Get("plan-calendar", u => MealPlannerData.PlanAndRemember(u, weeks), Check.Status(200))
            .Get("shopping-list", MealPlannerData.ShoppingForRememberedWeek, Check.Status(200))
            .WithThinkTime(PerfProfiles.Reading);

        var report = await Load.RunAsync(app.Target, scenario, PerfProfiles.Closed, cancellationToken: TestContext.Current.CancellationToken);

        report.Should().HaveRecordedLoad();
        report.Should().HaveP95Below(500, route: "plan-calendar")
            .And.HaveP95Below(500, route: "shopping-list")
            .And.HaveErrorRateBelow(0.01);
        report.Routes.SelectMany(r => r.Checks).Should().OnlyContain(c => c.Failures == 0, "every response was a 200");
    }
}
