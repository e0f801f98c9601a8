using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;

namespace PerfRegression.FluentAssertions;

/// <summary>Entry point: <c>report.Should()</c>.</summary>
public static class LoadReportAssertionExtensions
{
    /// <summary>Starts assertions on a load report.</summary>
    public static LoadReportAssertions Should(this LoadReport report) => new(report);
}

/// <summary>
/// Code-level checks on a <see cref="LoadReport"/>, for tests that prefer assertions to attributes:
/// <c>report.Should().HaveP95Below(500, route: "plan-calendar")</c>. Failure messages show the
/// measured value, the sample count and the run's warnings.
/// </summary>
public sealed class LoadReportAssertions : ReferenceTypeAssertions<LoadReport, LoadReportAssertions>
{
    /// <summary>Creates assertions on <paramref name="subject"/>.</summary>
    public LoadReportAssertions(LoadReport subject)
        : base(subject)
    {
    }

    /// <inheritdoc />
    protected override string Identifier => "load report";

    /// <summary>Asserts that every budget holds; the failure is the same sectioned message as <c>[LatencyBudget]</c>'s.</summary>
    public AndConstraint<LoadReportAssertions> MeetBudgets(params Budget[] budgets)
    {
        var evaluation = Subject.Evaluate(budgets);
        Execute.Assertion
            .ForCondition(evaluation.Passed)
            .FailWith("{0}", new FailureText(evaluation.FailureMessage()));
        return new AndConstraint<LoadReportAssertions>(this);
    }

    /// <summary>Asserts that the run recorded at least one request.</summary>
    public AndConstraint<LoadReportAssertions> HaveRecordedLoad(string because = "", params object[] becauseArgs)
    {
        Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject.RecordedLoad)
            .FailWith("Expected {context:load report} of scenario {0} to have recorded load{reason}, but it recorded no request ({1}).", Subject.Scenario, Subject.LoadProfile);
        return new AndConstraint<LoadReportAssertions>(this);
    }

    /// <summary>Asserts the 95th-percentile latency (ms) of <paramref name="route"/>, or of all routes, is at most <paramref name="milliseconds"/>.</summary>
    public AndConstraint<LoadReportAssertions> HaveP95Below(double milliseconds, string? route = null, string because = "", params object[] becauseArgs)
        => Within(Budget.P95(milliseconds, route), because, becauseArgs);

    /// <summary>Asserts the 99th-percentile latency (ms) is at most <paramref name="milliseconds"/>.</summary>
    public AndConstraint<LoadReportAssertions> HaveP99Below(double milliseconds, string? route = null, string because = "", params object[] becauseArgs)
        => Within(Budget.P99(milliseconds, route), because, becauseArgs);

    /// <summary>Asserts the error rate (0..1) is at most <paramref name="ratio"/>.</summary>
    public AndConstraint<LoadReportAssertions> HaveErrorRateBelow(double ratio, string? route = null, string because = "", params object[] becauseArgs)
        => Within(Budget.ErrorRate(ratio, route), because, becauseArgs);

    /// <summary>Asserts the throughput is at least <paramref name="perSecond"/> requests per second.</summary>
    public AndConstraint<LoadReportAssertions> HaveThroughputAbove(double perSecond, string? route = null, string because = "", params object[] becauseArgs)
        => Within(Budget.MinThroughput(perSecond, route), because, becauseArgs);

    /// <summary>Asserts that this process's CPU time per request is at most <paramref name="milliseconds"/>.</summary>
    public AndConstraint<LoadReportAssertions> HaveCpuPerRequestBelow(double milliseconds, string? route = null, string because = "", params object[] becauseArgs)
        => Within(Budget.CpuPerRequest(milliseconds, route), because, becauseArgs);

    /// <summary>Asserts that the bytes this process allocated per request are at most <paramref name="bytes"/>.</summary>
    public AndConstraint<LoadReportAssertions> HaveAllocatedPerRequestBelow(double bytes, string? route = null, string because = "", params object[] becauseArgs)
        => Within(Budget.AllocatedPerRequest(bytes, route), because, becauseArgs);

    /// <summary>Asserts that requests made at most <paramref name="operations"/> database operations each, on average.</summary>
    public AndConstraint<LoadReportAssertions> HaveDatabaseOperationsPerRequestBelow(double operations, string? route = null, string because = "", params object[] becauseArgs)
        => Within(Budget.DatabaseOperationsPerRequest(operations, route), because, becauseArgs);

    /// <summary>Asserts that the response bodies were at most <paramref name="bytes"/> per request (of <paramref name="route"/>, or of all HTTP requests).</summary>
    public AndConstraint<LoadReportAssertions> HaveResponseBytesPerRequestBelow(double bytes, string? route = null, string because = "", params object[] becauseArgs)
        => Within(Budget.ResponseBytesPerRequest(bytes, route), because, becauseArgs);

    private AndConstraint<LoadReportAssertions> Within(Budget budget, string because, object[] becauseArgs)
    {
        var evaluation = Subject.Evaluate(budget);
        var result = evaluation.Results.Count > 0 ? evaluation.Results[0] : null;
        var detail = evaluation.Problems.Count > 0
            ? string.Join(" ", evaluation.Problems)
            : result is null ? "nothing was measured" : $"it was {budget.FormatValue(result.Measured)} over {result.Samples} requests";
        Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(evaluation.Passed)
            .FailWith("Expected {0} of {1} in scenario {2} to be {3}{reason}, but {4}.", budget.MetricName, new FailureText(budget.Route ?? LoadReport.AllRoutes), Subject.Scenario, new FailureText(budget.LimitText), new FailureText(detail));
        return new AndConstraint<LoadReportAssertions>(this);
    }

    /// <summary>Text that FluentAssertions prints as is, without quotes.</summary>
    private sealed class FailureText(string text)
    {
        public override string ToString() => text;
    }
}
