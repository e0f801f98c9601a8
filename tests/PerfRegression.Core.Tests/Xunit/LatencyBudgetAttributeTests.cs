using System.Reflection;
using PerfRegression.Engine;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Xunit;

public sealed class LatencyBudgetAttributeTests
{
    private static readonly MethodInfo Method = typeof(LatencyBudgetAttributeTests).GetMethod(nameof(Adds_the_performance_category))!;

    [Fact]
    public void Adds_the_performance_category()
        => new LatencyBudgetAttribute(p95: 500).GetTraits().Should().Equal([new KeyValuePair<string, string>("Category", "Performance")]);

    [Fact]
    public void States_only_the_budgets_given()
    {
        var attribute = new LatencyBudgetAttribute(p95: 500, p99: 900) { Route = "GET /plan", ErrorRate = 0.01 };
        attribute.Budgets.Select(b => b.ToString()).Should().Equal("GET /plan: p95 <= 500 ms", "GET /plan: p99 <= 900 ms", "GET /plan: error rate <= 1%");
    }

    [Fact]
    public void Passes_when_the_recorded_load_is_within_budget()
    {
        RunWithAttributes([new LatencyBudgetAttribute(p95: 1000)], Reports.Report("s", Reports.Route("a", Reports.Uniform(100))))
            .Should().NotThrow();
    }

    [Fact]
    public void All_attributes_of_a_test_are_evaluated_together_in_one_message()
    {
        var report = Reports.Report("s", Reports.Route("a", Reports.Uniform(100)), Reports.Route("b", Reports.Uniform(100, 2)));
        var act = RunWithAttributes(
            [new LatencyBudgetAttribute(p95: 50) { Route = "a" }, new LatencyBudgetAttribute(p99: 10) { Route = "b" }],
            report);

        var results = act.Should().Throw<PerfCheckException>().Which.Verdict!.Details<BudgetEvaluation>()!.Results;
        results.Where(r => !r.Budget.IsDefault).Should().HaveCount(2).And.OnlyContain(r => !r.Passed);
        results.Should().ContainSingle(r => r.Budget.IsDefault, "a test that states no error-rate budget is held to the default").Which.Passed.Should().BeTrue();
    }

    [Fact]
    public void A_test_that_recorded_no_load_fails_and_says_so()
    {
        RunWithAttributes([new LatencyBudgetAttribute(p95: 500)])
            .Should().Throw<PerfCheckException>()
            .WithMessage("*The test ran no load, so there is nothing to check.*");
    }

    [Fact]
    public void An_attribute_without_budgets_is_refused_before_the_test_runs()
    {
        var act = () => new LatencyBudgetAttribute().Before(Method, null!);
        act.Should().Throw<PerfConfigurationException>().WithMessage(
            "[LatencyBudget] on LatencyBudgetAttributeTests.Adds_the_performance_category has 1 problem:*[LatencyBudget] states no budget. Give at least one, e.g. [LatencyBudget(p95: 500)], [LatencyBudget(ErrorRate = 0.01)] or [LatencyBudget(MinThroughput = 100)].");
        PerfSession.Current.Should().BeNull("a refused attribute opens no session");
    }

    [Fact]
    public void An_impossible_budget_is_refused_before_the_test_runs()
    {
        var act = () => new LatencyBudgetAttribute(p95: -1, max: double.NaN).Before(Method, null!);
        act.Should().Throw<PerfConfigurationException>().Which.Problems.Should().Equal(
            "The p95 budget is -1 ms; a latency budget must be greater than zero milliseconds, e.g. p95: 500.",
            "The max budget is NaN; a budget must be a finite number. Give the limit you need, e.g. p95: 500 for 500 ms.");
    }

    [Fact]
    public void An_unknown_route_fails_the_test_with_the_recorded_routes()
    {
        RunWithAttributes([new LatencyBudgetAttribute(p95: 500) { Route = "GET /plans" }], Reports.Report("s", Reports.Route("GET /plan", [1])))
            .Should().Throw<PerfCheckException>()
            .WithMessage("*names route 'GET /plans', which the test did not record. Recorded routes: 'GET /plan'.*");
    }

    // Plays xUnit's part: Before of each attribute, the body (whose runs hand their reports to the session), After
    // in reverse. The gate is off: these reports were made up, not measured.
    private static Action RunWithAttributes(LatencyBudgetAttribute[] budgets, params LoadReport[] recorded) => () =>
    {
        PerfCheckAttribute[] attributes = [new RegressionGateAttribute { Enabled = false }, .. budgets];
        foreach (var attribute in attributes)
        {
            attribute.Before(Method, null!);
        }

        foreach (var report in recorded)
        {
            ((ILoadRunContext)PerfSession.Current!).RunCompleted(Scenario.Create(report.Scenario), [report], report);
        }

        foreach (var attribute in attributes.Reverse())
        {
            attribute.After(Method, null!);
        }
    };
}
