using System.Reflection;
using PerfRegression.Checks;
using PerfRegression.Session;
using PerfRegression.Tests.Support;
using static PerfRegression.Tests.Support.Reports;

namespace PerfRegression.Tests.Budgets;

/// <summary>
/// Budgets on custom metrics (k6's thresholds on Rate, Trend and Counter metrics): each limit against what the runs
/// recorded, in one section of the verdict; what cannot be checked fails with the fix; attributes add to one check.
/// </summary>
public sealed class CustomMetricCheckTests
{
    private static readonly MethodInfo Method = typeof(CustomMetricCheckTests).GetMethod(nameof(Metric_budgets_on_a_real_run_are_one_section_that_passes_or_names_what_broke))!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Seed 002's thresholds: payments 99.5% successful, cache hits over 90%, checkout p95 and p99, orders per second.</summary>
    private static readonly MetricBudget[] SeedBudgets =
    [
        new MetricBudget("payment_success") { MinRate = 0.995 },
        new MetricBudget("cache_hit") { MinRate = 0.9 },
        new MetricBudget("checkout_ms") { P95 = 3000, P99 = 5000 },
        new MetricBudget("orders") { MinPerSecond = 50, MaxCount = 10_000 },
    ];

    [Fact]
    public void Broken_budgets_fail_with_a_sectioned_message_naming_each_limit_and_its_measurement()
    {
        var report = WithMetrics("checkout", Rate("payment_success", 1982, 2000), Rate("cache_hit", 1900, 2000), Trend("checkout_ms", 1000, 4), Counter("orders", 480));

        var act = () => CustomMetricCheck.EnsureWithin(report, SeedBudgets);

        var message = act.Should().Throw<PerfCheckException>().Which.Message;
        Snapshot.Match(message);
        message.Should().Contain("payment_success MinRate: 99.1% is below the limit of 99.5%.")
            .And.Contain("checkout_ms p95: 3,801 ms is above the limit of 3,000 ms.")
            .And.Contain("orders MinPerSecond: 48/s is below the limit of 50/s.");
        var verdict = TestVerdict.Of([report], [Evaluate(new CustomMetricCheck(SeedBudgets), report)]);
        MicroBenchmarkCheckTests.FailedEverywhere(verdict with { Test = "CheckoutTests.Checkout_under_load" }, "Custom metrics");
    }

    [Fact]
    public void Budgets_that_hold_pass_with_each_limit_shown()
    {
        var report = WithMetrics("checkout", Rate("payment_success", 1999, 2000), Rate("cache_hit", 1900, 2000), Trend("checkout_ms", 1000, 2), Counter("orders", 600));

        var result = Evaluate(new CustomMetricCheck(SeedBudgets), report);

        result.Severity.Should().Be(CheckSeverity.Pass, string.Join("\n", result.Problems));
        result.Items.Select(i => (i.Subject, i.Check, i.Measured, i.Verdict)).Should().Equal(
            ("payment_success", "MinRate", "99.95% (1,999 of 2,000)", "ok"),
            ("cache_hit", "MinRate", "95% (1,900 of 2,000)", "ok"),
            ("checkout_ms", "p95", "1,901 ms", "ok"),
            ("checkout_ms", "p99", "1,980 ms", "ok"),
            ("orders", "MaxCount", "600", "ok"),
            ("orders", "MinPerSecond", "60/s", "ok"));
        CustomMetricCheck.EnsureWithin(report, SeedBudgets).Should().BeSameAs(report);
    }

    [Fact]
    public void What_cannot_be_checked_fails_with_what_was_recorded_and_the_fix()
    {
        var report = WithMetrics("checkout", Rate("payment_success", 0, 0), Trend("checkout_ms", 10));

        var result = Evaluate(new CustomMetricCheck(
            new MetricBudget("payment_sucess") { MinRate = 0.995 },
            new MetricBudget("checkout_ms") { MinRate = 0.5 },
            new MetricBudget("overbooked") { MaxCount = 0 },
            new MetricBudget("payment_success") { MinRate = 0.995, Scenario = "search" },
            new MetricBudget("payment_success") { MinRate = 0.995 }), report);

        result.Severity.Should().Be(CheckSeverity.Fail);
        result.Problems.Should().Equal(
            "The budget on metric 'payment_sucess' cannot be checked: no run recorded it. Recorded metrics: 'payment_success' (rate), 'checkout_ms' (trend). Record it in a step (user.Metrics.Rate(\"payment_sucess\", ...)), or correct the budget's name.",
            "The budget on metric 'checkout_ms' sets limits for a rate, but scenario 'checkout' records 'checkout_ms' as a trend (user.Metrics.Trend). Set the limits of a trend, or record the metric as the kind the budget means.",
            "The budget on metric 'overbooked' cannot be checked: no run recorded it. Recorded metrics: 'payment_success' (rate), 'checkout_ms' (trend). Record it in a step (user.Metrics.Counter(\"overbooked\", ...)), even with 0 where nothing happened, so that zero is measured, or correct the budget's name.",
            "The budget on metric 'payment_success' names scenario 'search', which the test did not run. Scenarios run: 'checkout'.");
        var empty = result.Items.Single();
        (empty.Measured, empty.Verdict, empty.Severity).Should().Be(("no value", "no value", CheckSeverity.Fail));
        empty.Reason.Should().Be("the scenario recorded no value of 'payment_success' during the measured phase, so the limit cannot hold");
        Evaluate(new CustomMetricCheck(SeedBudgets)).Problems.Should().Equal(CheckContext.NoLoadProblem([]));
    }

    [Fact]
    public void Each_scenario_is_checked_on_its_own_and_a_budget_can_name_one()
    {
        var search = WithMetrics("search", Rate("cache_hit", 80, 100));
        var payments = WithMetrics("payments", Rate("cache_hit", 99, 100));

        var all = Evaluate(new CustomMetricCheck(new MetricBudget("cache_hit") { MinRate = 0.9 }), search, payments);
        var one = Evaluate(new CustomMetricCheck(new MetricBudget("cache_hit") { MinRate = 0.9, Scenario = "payments" }), search, payments);

        all.Items.Select(i => (i.Subject, i.Verdict)).Should().Equal(("search/cache_hit", "under"), ("payments/cache_hit", "ok"));
        one.Items.Select(i => (i.Subject, i.Verdict)).Should().Equal(("payments/cache_hit", "ok"));
        one.Severity.Should().Be(CheckSeverity.Pass);
    }

    [Fact]
    public void Invalid_budgets_are_listed_together_with_their_fix()
    {
        new CustomMetricCheck(
            new MetricBudget(" "),
            new MetricBudget("payment_success") { MinRate = 99.5, P95 = 300 },
            new MetricBudget("orders") { MinCount = 10, MaxCount = 5, MaxPerSecond = -1 },
            new MetricBudget("checkout_ms") { P99 = double.NaN, Scenario = "" }).Validate().Should().Equal(
        [
            "A metric budget names no metric. Give the name the scenario records, e.g. [MetricBudget(\"payment_success\", MinRate = 0.995)].",
            "The metric budget sets no limit. Set MinRate or MaxRate for a rate, P50, P90, P95, P99 or Max (milliseconds) for a trend, MinCount, MaxCount, MinPerSecond or MaxPerSecond for a counter.",
            "The budget on metric 'payment_success' mixes limits of different kinds of metric (MinRate for a rate, p95 for a trend); a metric is one kind. Keep the limits of the kind the scenario records.",
            "The budget on metric 'payment_success''s MinRate is 99.5; a rate is a share between 0 and 1 (0.995 = 99.5%).",
            "The budget on metric 'orders''s MaxPerSecond is -1; a counter's largest total or rate must be 0 or more.",
            "The budget on metric 'orders''s MinCount (10) is above its MaxCount (5), so no measurement could pass. Swap them, or drop one.",
            "The budget on metric 'checkout_ms' names an empty scenario. Give the scenario's name, or leave Scenario unset to check every run that recorded the metric.",
            "The budget on metric 'checkout_ms''s p99 is NaN; a limit must be a finite number.",
        ]);
        new CustomMetricCheck().Validate().Should().ContainSingle().Which.Should().StartWith("The custom-metric check has no budget.");
    }

    [Fact]
    public async Task Metric_budgets_on_a_real_run_are_one_section_that_passes_or_names_what_broke()
    {
        await using var app = await TestApp.StartBasicAsync();
        var scenario = Scenario.Create("payments").Step("pay", (user, _) =>
        {
            user.Metrics.Rate("payment_success", user.Iteration % 10 != 9);
            user.Metrics.Counter("orders");
            return Task.CompletedTask;
        });
        var directory = Path.Combine(Path.GetTempPath(), "perf-metrics-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var session = PerfSession.Start(TestIdentity.From(Method), new PerfSettings { BaselineDirectory = directory, ResultsDirectory = directory });
            new MetricBudgetAttribute("payment_success") { MinRate = 0.995 }.Before(Method, null!);
            new MetricBudgetAttribute("orders") { MinCount = 40 }.Before(Method, null!);
            session.ConfigureGate(enabled: false);
            await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(4, 10), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);

            var verdict = await session.FinishAsync(Cancel);

            session.Checks.OfType<CustomMetricCheck>().Should().ContainSingle().Which.Budgets.Select(b => b.Metric).Should().Equal("payment_success", "orders");
            verdict.Passed.Should().BeFalse();
            var section = verdict.Results.Single(r => r.Title == "Custom metrics");
            section.Items.Select(i => (i.Subject, i.Check, i.Measured, i.Verdict)).Should().Equal(("payment_success", "MinRate", "90% (36 of 40)", "under"), ("orders", "MinCount", "40", "ok"));
            verdict.Text.Should().Contain("payment_success MinRate: 90% (36 of 40)");
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static CheckResult Evaluate(CustomMetricCheck check, params LoadReport[] reports)
        => check.EvaluateAsync(new CheckContext(TestIdentity.From(Method), new PerfSettings(), reports), CancellationToken.None).AsTask().GetAwaiter().GetResult();
}
