using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Xunit;

/// <summary>
/// The attribute inside xUnit's real pipeline: the class-level budget and the method-level ones open
/// one scope before the body, the body's run lands in it, and all are checked after the body.
/// </summary>
[LatencyBudget(ErrorRate = 0.01)]
[RegressionGate(Enabled = false)]
public sealed class LatencyBudgetPipelineTests
{
    [Fact]
    [LatencyBudget(p95: 1000, p99: 2000)]
    [LatencyBudget(p95: 1000, Route = "GET /ok")]
    public async Task Budgets_on_class_and_method_check_the_run_in_the_body()
    {
        await using var app = await TestApp.StartBasicAsync();

        PerfSession.Current.Should().NotBeNull("the attributes opened the session before the body");
        PerfSession.Current!.Budgets.Should().HaveCount(4);

        // No warm-up: the pipeline is under test, not the route (a cold process's warm-up took 8 s of the PR stage).
        // A count of iterations, not a duration: on a machine busy starting other test processes, 300 ms once passed
        // before a cold process completed its first request, and the run recorded none.
        await Load.RunAsync(app.Target, "GET /ok", LoadProfile.SharedIterations(2, 20), new LoadOptions { Warmup = TimeSpan.Zero }, TestContext.Current.CancellationToken);

        PerfSession.Current.Reports.Should().ContainSingle();
    }
}
