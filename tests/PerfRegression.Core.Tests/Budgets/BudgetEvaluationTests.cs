using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Budgets;

public sealed class BudgetEvaluationTests
{
    // p95 of 1..1000 ms is 950 ms; 2 errors in 1000 requests is 0.2%.
    private static readonly LoadReport Report = Reports.Report(
        "plan-calendar",
        ["Coordinated omission: example warning."],
        Reports.Route("GET /plan", Reports.Uniform(1000), errors: 2),
        Reports.Route("GET /shopping", Reports.Uniform(200, 0.5)));

    [Fact]
    public void Budgets_that_hold_pass()
    {
        var evaluation = Report.Evaluate(Budget.P95(1000), Budget.P99(100, "GET /shopping"), Budget.ErrorRate(0.01), Budget.MinThroughput(100));
        evaluation.Passed.Should().BeTrue();
        evaluation.Results.Should().HaveCount(4);
    }

    [Fact]
    public void A_broken_budget_reports_measured_value_samples_and_excess()
    {
        var result = Report.Evaluate(Budget.P95(500, "GET /plan")).Results.Single();
        result.Passed.Should().BeFalse();
        result.Measured.Should().BeApproximately(950, 1);
        result.Samples.Should().Be(1000);
        result.Excess.Should().BeApproximately(0.9, 0.01);
    }

    [Fact]
    public void Throughput_is_a_lower_limit()
    {
        Report.Evaluate(Budget.MinThroughput(150)).Passed.Should().BeFalse("1,200 requests in 10 s is 120/s");
        Report.Evaluate(Budget.MinThroughput(120)).Passed.Should().BeTrue();
    }

    [Fact]
    public void Failure_message_lists_every_broken_budget_side_by_side()
    {
        var evaluation = Report.Evaluate(
            Budget.P95(500, "GET /plan"),
            Budget.P99(50, "GET /shopping"),
            Budget.ErrorRate(0.001),
            Budget.MinThroughput(100));

        evaluation.Passed.Should().BeFalse();
        Snapshot.Match(evaluation.FailureMessage());
    }

    [Fact]
    public void Failure_message_is_the_same_in_every_culture()
    {
        var evaluation = Report.Evaluate(Budget.P95(500, "GET /plan"), Budget.ErrorRate(0.001));
        var invariant = evaluation.FailureMessage();
        using var culture = new CultureScope("de-DE");
        evaluation.FailureMessage().Should().Be(invariant);
    }

    [Fact]
    public void An_unknown_route_is_a_problem_that_names_the_recorded_routes()
    {
        var evaluation = Report.Evaluate(Budget.P95(500, "GET /plans"));
        evaluation.Passed.Should().BeFalse();
        evaluation.Problems.Should().Equal("The p95 budget names route 'GET /plans', which the test did not record. Recorded routes: 'GET /plan', 'GET /shopping'. Use a step's name as the route.");
        Snapshot.Match(evaluation.FailureMessage());
    }

    [Fact]
    public void No_load_never_passes()
    {
        var none = BudgetEvaluation.Evaluate([], [Budget.P95(500)]);
        none.Passed.Should().BeFalse();
        none.Problems.Should().Equal("The test ran no load, so there is nothing to check. Run load in the test body with Load.RunAsync(...), or remove the checks that need it.");

        var empty = BudgetEvaluation.Evaluate([Reports.Report("idle", Reports.Route("GET /", []))], [Budget.P95(500)]);
        empty.Passed.Should().BeFalse();
        empty.Problems.Should().Equal("The test ran load but recorded no request ('idle': closed: 10 users for 10 s). Check that the profile lasts long enough for one iteration and that the target answers.");
    }

    [Fact]
    public void A_route_without_samples_breaks_its_budget()
    {
        var report = Reports.Report("s", Reports.Route("a", [1, 2]), Reports.Route("b", []));
        var result = report.Evaluate(Budget.P95(100, "b")).Results.Single();
        result.Passed.Should().BeFalse();
        result.Samples.Should().Be(0);
    }

    [Fact]
    public void EnsureWithin_throws_the_sectioned_message()
    {
        var act = () => Report.EnsureWithin(Budget.P95(500, "GET /plan"));
        act.Should().Throw<PerfCheckException>()
            .WithMessage("Performance check failed (scenario 'plan-calendar'): 1 of 1 budget checks broken.*GET /plan  p95     <= 500 ms*BROKEN by 90*")
            .Which.Verdict!.Details<BudgetEvaluation>()!.Passed.Should().BeFalse();
    }
}
