using PerfRegression.FluentAssertions;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Assertions;

public sealed class LoadReportAssertionsTests
{
    private static readonly LoadReport Report = Reports.Report("plan-calendar", Reports.Route("GET /plan", Reports.Uniform(1000), errors: 20));

    [Fact]
    public void Passing_checks_chain()
    {
        Report.Should().HaveRecordedLoad()
            .And.HaveP95Below(1000, "GET /plan")
            .And.HaveP99Below(1000)
            .And.HaveThroughputAbove(50);
    }

    [Fact]
    public void A_broken_percentile_names_route_limit_measured_value_and_samples()
    {
        var act = () => Report.Should().HaveP95Below(500, "GET /plan", "the seed's target is {0} ms", 500);
        act.Should().Throw<Exception>().WithMessage(
            "Expected \"p95\" of GET /plan in scenario \"plan-calendar\" to be <= 500 ms because the seed's target is 500 ms, but it was 950.3 ms over 1000 requests.");
    }

    [Fact]
    public void A_broken_error_rate_is_reported_as_a_percentage()
    {
        var act = () => Report.Should().HaveErrorRateBelow(0.01);
        act.Should().Throw<Exception>().WithMessage("*error rate* to be <= 1%, but it was 2% over 1000 requests.");
    }

    [Fact]
    public void An_unknown_route_says_which_routes_exist()
    {
        var act = () => Report.Should().HaveP95Below(500, "GET /plans");
        act.Should().Throw<Exception>().WithMessage("*but The p95 budget names route 'GET /plans', which the test did not record. Recorded routes: 'GET /plan'.*");
    }

    [Fact]
    public void MeetBudgets_fails_with_the_same_sectioned_message_as_the_attribute()
    {
        var act = () => Report.Should().MeetBudgets(Budget.P95(500), Budget.ErrorRate(0.05));
        act.Should().Throw<Exception>().WithMessage("Performance check failed (scenario 'plan-calendar'): 1 of 2 budget checks broken.*Budgets*BROKEN by 90.05%*What to do*");
    }

    [Fact]
    public void A_report_without_load_fails_HaveRecordedLoad()
    {
        var empty = Reports.Report("idle", Reports.Route("GET /", []));
        var act = () => empty.Should().HaveRecordedLoad();
        act.Should().Throw<Exception>().WithMessage("Expected load report of scenario \"idle\" to have recorded load, but it recorded no request (\"closed: 10 users for 10 s\").");
    }
}
