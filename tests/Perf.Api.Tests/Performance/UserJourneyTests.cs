using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// What a user does in one sitting: searches recipes, opens a week of the calendar, then that week's
/// shopping list, pausing 50–150 ms between pages. Each page has its own budget.
/// </summary>
public sealed class UserJourneyTests(MealPlannerFixture app) : IClassFixture<MealPlannerFixture>
{
    [Fact]
    [LatencyBudget(p95: 500, Route = "browse-recipes", ErrorRate = 0.01)]
    [LatencyBudget(p95: 500, Route = "plan-calendar", ErrorRate = 0.01)]
    [LatencyBudget(p95: 500, Route = "shopping-list", ErrorRate = 0.01)]
    public Task Browse_recipes_plan_a_week_and_shop_for_it()
    {
        var weeks = MealPlannerData.Weeks();
        var terms = MealPlannerData.SearchTerms();
        var journey = Scenario.Create("meal-planning journey")
            .Setup(MealPlannerData.LogInAndPlanAsync)
            .Get("browse-recipes", u => $"/recipes?search={Uri.EscapeDataString(terms.Next(u))}&take=20", Check.Status(200), Check.BodyContains("\"items\":"))
            .Get("plan-calendar", u => MealPlannerData.PlanAndRemember(u, weeks), Check.Status(200),
                MealPlannerData.PlanHas21Meals)
            .Get("shopping-list", MealPlannerData.ShoppingForRememberedWeek, Check.Status(200), MealPlannerData.ShoppingListHasItems)
            .WithThinkTime(ThinkTime.Between(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150)));

        return Load.RunAsync(app.Target, journey, PerfProfiles.Closed, cancellationToken: TestContext.Current.CancellationToken);
    }
}
