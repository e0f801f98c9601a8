using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Checks;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>An abort-on-fail budget ends a doomed run soon after it breaks, and the verdict says the run was aborted and why.</summary>
public sealed class AbortOnFailTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_60_second_mix_ends_within_10_seconds_of_the_breach_and_is_reported_as_aborted()
    {
        using var quiet = await MachineQuiet.HoldAsync();
        // The flaky route answers for 2 s, then fails every request: the error-rate budget breaks about then.
        long firstRequest = 0;
        long breach = 0;
        await using var app = await TestApp.StartAsync(a =>
        {
            a.MapGet("/ok", () => Results.Text("ok"));
            a.MapGet("/flaky", async (CancellationToken ct) =>
            {
                await Task.Delay(2, ct);
                var now = Environment.TickCount64;
                Interlocked.CompareExchange(ref firstRequest, now, 0);
                if (now - Interlocked.Read(ref firstRequest) < 2_000)
                {
                    return Results.Text("ok");
                }

                Interlocked.CompareExchange(ref breach, now, 0);
                return Results.StatusCode(503);
            });
        });
        using var session = PerfSession.Start(TestIdentity.From(typeof(AbortOnFailTests).GetMethod(nameof(A_60_second_mix_ends_within_10_seconds_of_the_breach_and_is_reported_as_aborted))!));
        session.AddBudgets([Budget.ErrorRate(0.05, "GET /flaky").AbortingOnFail(TimeSpan.FromSeconds(1)), Budget.P95(60_000)]);
        session.ConfigureGate(enabled: false);
        var planned = TimeSpan.FromSeconds(60);

        var started = Environment.TickCount64;
        var mix = await Load.RunMixAsync(
            app.Target,
            [Scenario.Create("steady").Get("GET /ok", "/ok").WithThinkTime(ThinkTime.Fixed(TimeSpan.FromMilliseconds(10))).Under(LoadProfile.Users(2, planned)), Scenario.Create("flaky").Get("GET /flaky", "/flaky").Under(LoadProfile.Users(2, planned))],
            new LoadOptions { Warmup = TimeSpan.Zero },
            Cancel);
        var ended = Environment.TickCount64;
        var verdict = await session.FinishAsync(Cancel);

        breach.Should().BePositive("the route started failing after 2 s");
        TimeSpan.FromMilliseconds(ended - breach).Should().BeLessThan(TimeSpan.FromSeconds(10), "the run ends within 10 s of the breach, not after the planned 60 s");
        TimeSpan.FromMilliseconds(ended - started).Should().BeLessThan(TimeSpan.FromSeconds(20));
        var aborted = mix.Aborted!;
        aborted.Scenario.Should().Be("flaky");
        aborted.Planned.Should().Be(planned);
        aborted.Reason.Should().StartWith("error rate budget on route 'GET /flaky' broken (").And.EndWith("), and it is abort-on-fail");
        mix["steady"].Aborted.Should().Be(aborted, "the whole mix stops with the part that broke the budget");
        mix["steady"].Duration.Should().BeLessThan(TimeSpan.FromSeconds(15));
        mix["flaky"].ToSummary().Should().Contain("ABORTED: aborted after ");
        verdict.Passed.Should().BeFalse();
        verdict.Text.Should().Contain($"The run was {aborted}. An abort-on-fail budget ends the run as soon as it is broken over the run so far, so the figures describe the run until then; fix what broke it (see the budgets below), and run again.");
        verdict.Details<BudgetEvaluation>()!.Results.Should().Contain(r => r.Route == "GET /flaky" && r.Budget.Metric == BudgetMetric.ErrorRate && !r.Passed);
    }

    [Fact]
    public async Task A_budget_that_holds_lets_the_run_go_to_its_end_and_no_abort_is_judged_before_its_delay()
    {
        await using var app = await TestApp.StartBasicAsync();
        using var session = PerfSession.Start(TestIdentity.From(typeof(AbortOnFailTests).GetMethod(nameof(A_budget_that_holds_lets_the_run_go_to_its_end_and_no_abort_is_judged_before_its_delay))!));
        // The failing route breaks its budget from the first request, but the abort is judged only after 30 s.
        session.AddBudgets([Budget.P95(60_000).AbortingOnFail(TimeSpan.Zero), Budget.ErrorRate(0, "fail").AbortingOnFail(TimeSpan.FromSeconds(30)), Budget.ErrorRate(1)]);
        session.ConfigureGate(enabled: false);

        var report = await Load.RunAsync(app.Target, Scenario.Create("s").Get("ok", "/ok").Get("fail", "/fail"), LoadProfile.Users(1, TimeSpan.FromMilliseconds(2500)), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);
        var verdict = await session.FinishAsync(Cancel);

        report.Aborted.Should().BeNull();
        report.Duration.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(2400));
        verdict.Text.Should().NotContain("aborted");
        verdict.Details<BudgetEvaluation>()!.Results.Should().Contain(r => r.Route == "fail" && !r.Passed, "the budget still judges the whole run at the end");
    }

    [Fact]
    public void The_attribute_makes_its_budgets_abort_on_fail_after_the_delay_it_states()
    {
        var attribute = new LatencyBudgetAttribute(p95: 500) { ErrorRate = 0.01, Tag = "kind:payment", AbortOnFail = true, AbortAfterSeconds = 10 };

        attribute.Budgets.Should().AllSatisfy(b =>
        {
            b.AbortOnFail.Should().BeTrue();
            b.AbortDelay.Should().Be(TimeSpan.FromSeconds(10));
            b.Tag.Should().Be("kind:payment");
        });
        new LatencyBudgetAttribute(p95: 500) { AbortOnFail = true }.Budgets.Single().AbortDelay.Should().Be(Budget.DefaultAbortDelay);
        new LatencyBudgetAttribute(p95: 500).Budgets.Single().AbortOnFail.Should().BeFalse();
        Budget.P95(500).ForGroup("checkout").AbortingOnFail().ToString().Should().Be("group checkout: p95 <= 500 ms (abort on fail)");
    }
}
