using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Budgets;

/// <summary>Budgets on what a request costs: CPU, allocations, database operations, collections per request.</summary>
public sealed class ResourceBudgetTests
{
    // 400 requests, 300 ms of CPU (0.75 ms each), 4,915,200 bytes (12 KiB each), 3 gen0 collections (7.5 per 1,000).
    private static readonly LoadReport Report = Reports.WithResources(requests: 400, cpu: TimeSpan.FromMilliseconds(300), allocated: 4_915_200, gen0: 3);

    [Fact]
    public void Costs_within_their_budgets_pass_and_a_broken_one_shows_beside_its_measurement()
    {
        var evaluation = Report.Evaluate(Budget.CpuPerRequest(1), Budget.AllocatedPerRequest(8 * 1024), Budget.Gen0Per1000Requests(10));

        evaluation.Passed.Should().BeFalse();
        evaluation.Results.Select(r => (r.Budget.MetricName, r.Passed)).Should().Equal(("cpu/request", true), ("allocated/request", false), ("gen0/1,000 requests", true));
        var broken = evaluation.ToCheckResult().Items.Single(i => i.Severity == CheckSeverity.Fail);
        broken.Expected.Should().Be("<= 8 KiB");
        broken.Measured.Should().Be("12 KiB");
        broken.Evidence.Should().Be("400 requests");
    }

    [Fact]
    public void The_attribute_states_per_request_budgets_in_kilobytes_and_milliseconds()
    {
        var attribute = new ResourceBudgetAttribute { CpuMilliseconds = 2, AllocatedKilobytes = 64, DatabaseOperations = 1, Route = "GET /plan" };

        attribute.Budgets.Select(b => b.ToString()).Should().Equal(
            "GET /plan: cpu/request <= 2 ms",
            "GET /plan: allocated/request <= 64 KiB",
            "GET /plan: db operations/request <= 1");
    }

    [Fact]
    public void A_database_budget_without_a_database_client_cannot_pass()
    {
        var evaluation = Report.Evaluate(Budget.DatabaseOperationsPerRequest(1));

        evaluation.Passed.Should().BeFalse();
        evaluation.Problems.Should().ContainSingle().Which.Should().StartWith("The db operations/request budget cannot be checked for scenario 's': no database client in this process reported its operations");
    }

    [Fact]
    public void A_run_that_measured_no_costs_cannot_pass_a_cost_budget()
    {
        var unmeasured = Reports.Report("plan", Reports.Route("GET /plan", [1, 2, 3]));

        var evaluation = unmeasured.Evaluate(Budget.CpuPerRequest(1));

        evaluation.Passed.Should().BeFalse();
        evaluation.Problems.Should().ContainSingle().Which.Should().Contain("the run did not measure its costs per request");
    }

    [Fact]
    public void A_cost_budget_cannot_name_one_route_of_a_scenario_of_several()
    {
        var mixed = Reports.Report("mixed", Reports.Route("GET /plan", [1, 2]), Reports.Route("GET /list", [1, 2]));

        var evaluation = mixed.Evaluate(Budget.CpuPerRequest(1, "GET /plan"));

        evaluation.Problems.Should().ContainSingle().Which.Should().StartWith("The cpu/request budget names route 'GET /plan', but scenario 'mixed' has 2 steps ('GET /plan', 'GET /list'), and a cost per request is measured for the whole scenario.");
    }

    [Fact]
    public void An_impossible_cost_budget_is_refused_with_every_problem()
    {
        var act = () => Report.Evaluate(Budget.CpuPerRequest(0), Budget.DatabaseOperationsPerRequest(-1), Budget.AllocatedPerRequest(double.NaN));

        act.Should().Throw<PerfConfigurationException>()
            .Which.Message.Should().Contain("The cpu/request budget is 0; every request costs some CPU")
            .And.Contain("The db operations/request budget is -1; it must be 0 or more")
            .And.Contain("The allocated/request budget is NaN; a budget must be a finite number");
    }
}
