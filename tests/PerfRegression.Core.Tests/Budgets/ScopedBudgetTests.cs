using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Budgets;

/// <summary>Budgets scoped to a tag or a group judge every route in the scope together (k6's <c>metric{tag:value}</c> thresholds).</summary>
public sealed class ScopedBudgetTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // A search scenario (two routes, one fast and one slow) and a payment scenario in a checkout group.
    private static readonly LoadReport Search = Reports.Report(
        "search",
        Reports.Labelled(Reports.Route("GET /search", Reports.Uniform(400, 0.5)), "search", null, ("kind", "read")),
        Reports.Labelled(Reports.Route("GET /suggest", Reports.Uniform(100, 0.1)), "search", null, ("kind", "read")));

    private static readonly LoadReport Payment = Reports.Report(
        "payment",
        Reports.Labelled(Reports.Route("GET /cart", Reports.Uniform(100, 2)), "payment", "checkout"),
        Reports.Labelled(Reports.Route("POST /pay", Reports.Uniform(100, 40), errors: 5), "payment", "checkout::pay", ("kind", "payment")));

    [Fact]
    public void A_tag_budget_judges_every_route_carrying_the_tag_together()
    {
        var result = BudgetEvaluation.Evaluate([Search, Payment], [Budget.P95(1000).ForTag("kind:read")]).Results.Single();

        result.Route.Should().Be("{kind:read}");
        result.Scenario.Should().Be("search");
        result.Samples.Should().Be(500);
        result.Measured.Should().BeApproximately(187.5, 0.5, "p95 of 400 values of 0.5..200 ms and 100 of 0.1..10 ms together is the 375th of the slower ones");
        result.Passed.Should().BeTrue();
    }

    [Fact]
    public void A_group_budget_covers_its_nested_groups_and_the_scenario_tag_every_route_of_a_scenario()
    {
        var evaluation = BudgetEvaluation.Evaluate([Search, Payment], [Budget.P99(10_000).ForGroup("checkout"), Budget.P99(10_000).ForGroup("checkout::pay"), Budget.ErrorRate(1).ForTag("scenario:payment")]);

        evaluation.Results.Select(r => (r.Route, r.Samples)).Should().Equal(("group checkout", 200L), ("group checkout::pay", 100L), ("{scenario:payment}", 200L));
    }

    [Fact]
    public void Broken_tag_and_group_budgets_fail_with_the_sectioned_message()
    {
        var evaluation = BudgetEvaluation.Evaluate(
            [Search, Payment],
            [Budget.P95(3000).ForTag("kind:payment"), Budget.P95(500).ForTag("kind:read"), Budget.ErrorRate(0.01).ForGroup("checkout"), Budget.P99(100, "GET /cart"), Budget.P95(100).ForTag("kind:admin")]);

        evaluation.Passed.Should().BeFalse();
        Snapshot.Match(evaluation.FailureMessage());
    }

    [Fact]
    public void A_scope_no_route_carries_is_a_problem_never_a_pass()
    {
        var evaluation = BudgetEvaluation.Evaluate([Search], [Budget.P95(100).ForGroup("checkout")]);

        evaluation.Passed.Should().BeFalse();
        evaluation.Problems.Should().Equal("The p95 budget is scoped to group checkout, which no recorded route carries, so it would judge nothing. Tags and groups recorded: kind:read, scenario:search. Put the steps in the group with Scenario.Group(name, g => ...).");
    }

    [Fact]
    public void A_scope_that_cannot_be_judged_is_refused_with_every_problem()
    {
        var act = () => BudgetEvaluation.Evaluate([Search], [Budget.P95(100, "GET /search").ForTag("kind:read"), Budget.P95(100).ForTag("kind"), Budget.AllocatedPerRequest(1000).ForGroup("checkout"), Budget.CpuPerRequest(1).AbortingOnFail()]);

        act.Should().Throw<PerfConfigurationException>().Which.Problems.Should().Equal(
            "The p95 budget on route 'GET /search' is scoped to a route and a tag at once; give one of Route, Tag or Group (or none for all routes together).",
            "The p95 budget is scoped to the tag 'kind', which is not of the form key:value. Give the tag as the steps carry it, e.g. Tag = \"kind:payment\" or Tag = \"scenario:checkout\".",
            "The allocated/request budget is scoped to group checkout, but a cost per request is measured per scenario run, not per route, so it cannot be split by tag or group. Leave Tag and Group unset (the scenario's run), or give the routes a scenario of their own.",
            "The cpu/request budget is abort-on-fail, but it is measured only when the run is over, so it cannot end a run early. Abort on a latency, error-rate or throughput budget, or turn AbortOnFail off.");
    }

    [Fact]
    public async Task Steps_carry_their_tags_groups_and_scenario_into_the_report_and_its_json()
    {
        await using var app = await TestApp.StartBasicAsync();
        var scenario = Scenario.Create("shop")
            .WithTag("team", "web")
            .Get("home", "/ok")
            .Group("checkout", g => g
                .Get("cart", "/ok").Tagged("kind", "read")
                .Group("pay", p => p.Get("pay", "/ok").Tagged("kind", "payment").Tagged("team", "payments")));

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(1, 2), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);

        report.Route("home").Group.Should().BeNull();
        report.Route("home").Tags.Should().Equal(new Dictionary<string, string> { ["scenario"] = "shop", ["team"] = "web" });
        report.Route("cart").Group.Should().Be("checkout");
        report.Route("cart").Tags.Should().Equal(new Dictionary<string, string> { ["kind"] = "read", ["scenario"] = "shop", ["team"] = "web" });
        report.Route("pay").Group.Should().Be("checkout::pay");
        report.Route("pay").Tags.Should().Equal(new Dictionary<string, string> { ["kind"] = "payment", ["scenario"] = "shop", ["team"] = "payments" });
        var read = LoadReport.FromJson(report.ToJson());
        read.Route("pay").Group.Should().Be("checkout::pay");
        read.Route("pay").Tags.Should().Equal(report.Route("pay").Tags);
        report.Evaluate(Budget.ErrorRate(0).ForGroup("checkout")).Results.Single().Samples.Should().Be(4);
    }

    [Fact]
    public async Task A_misplaced_tag_or_group_is_reported_when_the_run_starts()
    {
        await using var app = await TestApp.StartBasicAsync();
        var scenario = Scenario.Create("s").Tagged("kind", "read").Get("a", "/ok").Tagged("scenario", "x").Group("g::h", g => g.Get("b", "/ok")).Group("empty", g => g);

        var act = () => Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(1, 1), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);

        (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Problems.Should().Equal(
            "Scenario 's' tags a step with kind:read before it has any: Tagged labels the step added just before it. Add the step first, or label every step with WithTag(\"kind\", \"read\").",
            "Scenario 's' sets the tag 'scenario', which every route carries already with its scenario's name. Choose another key, e.g. \"kind\".",
            "Scenario 's' has a group named 'g::h'; a group needs a name without '::' (that joins nested groups), e.g. Group(\"checkout\", g => ...).",
            "Group 'empty' of scenario 's' has no steps. Add them in its builder, e.g. g => g.Get(\"cart\", \"/cart\").");
    }
}
