using System.Net;
using System.Net.Sockets;
using PerfRegression.Checks;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Xunit;

/// <summary>
/// A latency budget against a target that answers nothing but errors: the refused connections answer in
/// microseconds, and before failed requests were kept apart, a p95 budget passed on them.
/// </summary>
public sealed class DeadTargetTests
{
    private static readonly System.Reflection.MethodInfo Method = typeof(DeadTargetTests).GetMethod(nameof(A_latency_budget_fails_when_every_request_failed))!;

    [Fact]
    public async Task A_latency_budget_fails_when_every_request_failed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var quiet = await MachineQuiet.HoldAsync();
        using var session = PerfSession.Start(TestIdentity.From(Method));
        session.AddBudgets([Budget.P95(25)]);
        session.ConfigureGate(enabled: false);

        var report = await Load.RunAsync(LoadTarget.External(new Uri($"http://127.0.0.1:{ClosedPort()}/")), "GET /plan", LoadProfile.Users(4, TimeSpan.FromMilliseconds(300)), new LoadOptions { Warmup = TimeSpan.Zero }, ct);
        var verdict = await session.FinishAsync(ct);

        report.Overall.Count.Should().BeGreaterThan(0).And.Be(report.Overall.Errors, "every request was refused");
        report.Overall.Latency.Count.Should().Be(0);
        verdict.Passed.Should().BeFalse();
        verdict.Headline.Should().Be("Performance check failed for DeadTargetTests.A_latency_budget_fails_when_every_request_failed (scenario 'GET /plan'): 2 of 2 budget checks broken.");
        verdict.Text.Should().Contain("(all routes)  p95                   <= 25 ms       n/a        0  BROKEN (no successful request)")
            .And.Contain("(all routes)  error rate (default)     <= 1%      100%");
    }

    [Fact]
    public async Task A_test_that_states_its_own_error_rate_is_held_to_it_instead_of_the_default()
    {
        var ct = TestContext.Current.CancellationToken;
        using var quiet = await MachineQuiet.HoldAsync();
        using var session = PerfSession.Start(TestIdentity.From(Method));
        session.AddBudgets([Budget.ErrorRate(1)]);
        session.ConfigureGate(enabled: false);

        await Load.RunAsync(LoadTarget.External(new Uri($"http://127.0.0.1:{ClosedPort()}/")), "GET /plan", LoadProfile.Users(2, TimeSpan.FromMilliseconds(200)), new LoadOptions { Warmup = TimeSpan.Zero }, ct);
        var verdict = await session.FinishAsync(ct);

        verdict.Passed.Should().BeTrue("the test allows every request to fail, e.g. to measure a fault path");
        verdict.Details<BudgetEvaluation>()!.Results.Should().ContainSingle().Which.Budget.IsDefault.Should().BeFalse();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
