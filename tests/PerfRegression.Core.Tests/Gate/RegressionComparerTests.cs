using PerfRegression.Tests.Support;
using PerfRegression.Checks;

namespace PerfRegression.Tests.Gate;

public sealed class RegressionComparerTests
{
    private static readonly double[] Baseline = [100, 102, 98, 101, 99];

    private static StatisticComparison Compare(params double[] current)
        => RegressionComparer.Compare("GET /plan", "p95", Baseline, current, 5000, current.Length * 1000L, GatePolicy.Default);

    [Fact]
    public void Identical_distributions_are_the_same()
    {
        var result = Compare(99, 101, 100, 103, 97);
        result.Verdict.Should().Be(Verdict.Same);
        result.Severity.Should().Be(CheckSeverity.Pass);
        result.Ratio.Should().BeApproximately(1, 0.02);
    }

    [Fact]
    public void A_confirmed_slowdown_beyond_the_fail_margin_fails_with_ratio_interval_and_p_value()
    {
        var result = Compare(131, 128, 133, 126, 130);
        result.Verdict.Should().Be(Verdict.Slower);
        result.Severity.Should().Be(CheckSeverity.Fail);
        result.Ratio.Should().BeApproximately(1.297, 0.001);
        result.RatioLower.Should().BeGreaterThan(1.2).And.BeLessThan(result.Ratio);
        result.RatioUpper.Should().BeGreaterThan(result.Ratio).And.BeLessThan(1.4);
        result.PValueSlower.Should().BeApproximately(1 / 252.0, 1e-9, "all 5 current trials above all 5 baseline trials is the most extreme of C(10,5) = 252 orderings");
        result.Reason.Should().Be("estimated slower by +29.7%, beyond the fail margin of 20%, and significantly slower (p = 0.004 < 0.01)");
    }

    [Fact]
    public void A_failure_whose_interval_reaches_below_the_fail_margin_says_so_instead_of_claiming_more_than_20_percent()
    {
        var result = Compare(112, 125, 131, 123, 140);

        result.Severity.Should().Be(CheckSeverity.Fail, "the rule is: estimate beyond the fail margin and significantly slower");
        result.RatioLower.Should().BeLessThan(1.2);
        result.Reason.Should().Be("estimated slower by +25.5%, beyond the fail margin of 20%, and significantly slower (p = 0.004 < 0.01); the 95% interval starts at +12%, so the slowdown may be smaller than 20%");
    }

    [Fact]
    public void A_confirmed_slowdown_of_a_few_milliseconds_on_a_fast_route_warns_instead_of_failing()
    {
        double[] baseline = [3.7, 3.6, 3.8, 3.75, 3.7];
        double[] current = [5.1, 5.2, 5.15, 5.0, 5.3];

        var floored = RegressionComparer.Compare("plan-calendar", "p95", baseline, current, 11_000, 11_000, GatePolicy.Default);
        var relativeOnly = RegressionComparer.Compare("plan-calendar", "p95", baseline, current, 11_000, 11_000, GatePolicy.Default with { MinimumSlowdownMilliseconds = 0 });

        floored.Verdict.Should().Be(Verdict.Slower);
        floored.Severity.Should().Be(CheckSeverity.Warn);
        floored.Reason.Should().Be("slower by +38.9% with p = 0.004, but only by 1.45 ms, under the 5 ms a latency slowdown must reach to fail the test");
        relativeOnly.Severity.Should().Be(CheckSeverity.Fail);
    }

    [Fact]
    public void A_confirmed_slowdown_inside_the_warn_band_warns()
    {
        var result = Compare(115, 116, 114, 117, 115);
        result.Verdict.Should().Be(Verdict.Slower);
        result.Severity.Should().Be(CheckSeverity.Warn);
    }

    [Fact]
    public void A_possible_improvement_the_trials_cannot_confirm_fails_nothing()
    {
        var result = Compare(60, 105, 50, 101, 40);
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Severity.Should().Be(CheckSeverity.Pass);
        result.Reason.Should().EndWith("a possible improvement, not confirmed, which fails nothing");
    }

    [Fact]
    public void An_undecided_change_under_the_floor_is_left_open_without_asking_for_a_rerun()
    {
        double[] baseline = [3.0, 3.1, 3.2, 3.1, 3.0];
        var result = RegressionComparer.Compare("GET /fast", "p95", baseline, [3.1, 4.4, 3.0, 4.6, 4.5], 5000, 5000, GatePolicy.Default);
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Severity.Should().Be(CheckSeverity.Pass, "even confirmed, +1.3 ms would only warn under the 5 ms floor");
        result.Reason.Should().EndWith("is under the 5 ms that can fail the test, so even confirmed it would only warn");
    }

    [Fact]
    public void Overlapping_trials_are_inconclusive_never_a_pass_in_disguise()
    {
        var result = Compare(140, 95, 150, 99, 160);
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Severity.Should().Be(CheckSeverity.Inconclusive);
        result.Reason.Should().StartWith("the estimate is +");
    }

    [Fact]
    public void A_confirmed_speedup_is_faster()
    {
        Compare(70, 72, 69, 71, 70).Verdict.Should().Be(Verdict.Faster);
    }

    [Fact]
    public void One_trial_within_the_warn_band_needs_no_confirmation()
    {
        RegressionComparer.NeedsConfirmation("p95", Baseline, 108, GatePolicy.Default).Should().BeFalse();
        RegressionComparer.NeedsConfirmation("p95", Baseline, 111, GatePolicy.Default).Should().BeTrue();
        RegressionComparer.NeedsConfirmation("p95", Baseline, 90, GatePolicy.Default).Should().BeFalse("a first trial that looks better fails nothing, whatever more trials would show");
        RegressionComparer.NeedsConfirmation("p95", [3.0, 3.1, 3.2, 3.1, 3.0], 4.5, GatePolicy.Default).Should().BeFalse("+1.4 ms could never fail under the 5 ms floor");
        RegressionComparer.NeedsConfirmation("cpu", [0.6, 0.6, 0.6, 0.6, 0.6], 0.75, GatePolicy.Default).Should().BeFalse("+0.15 ms CPU is under the 0.2 ms floor");
        RegressionComparer.NeedsConfirmation("alloc", [8000, 8000, 8000, 8000, 8000], 9000, GatePolicy.Default).Should().BeTrue("allocations have no floor");

        var result = Compare(104);
        result.Verdict.Should().Be(Verdict.Same);
        result.RatioLower.Should().Be(double.NaN, "one trial gives no interval");
    }

    [Fact]
    public void The_interval_uses_mann_whitney_exact_ranks()
    {
        // For 5 against 5 trials the 95% interval runs from the 3rd to the 23rd of the 25 pairwise ratios.
        double[] baseline = [1, 1, 1, 1, 1];
        double[] current = Enumerable.Range(1, 5).Select(i => (double)i).ToArray();
        RegressionComparer.RatioInterval(baseline, current, 0.05).Should().Be((1.0, 5.0));
        RegressionComparer.RatioInterval([1, 2, 3, 4, 5], [10, 20, 30, 40, 50], 0.05).Lower.Should().BeApproximately(10.0 / 3, 1e-9);
    }

    [Fact]
    public void Invalid_policies_are_listed_in_one_message()
    {
        new GatePolicy { Statistics = ["p42"], WarnMargin = 0, FailMargin = -1, Trials = 2, Alpha = 0.7 }.Validate().Should().Equal(
            "The gate statistic 'p42' is unknown. Use one of p50, p90, p95, p99.",
            "WarnMargin is 0; it must be a ratio greater than zero, e.g. 0.10 for 10%.",
            "FailMargin is -1; it must be a ratio at least as large as WarnMargin (0), e.g. 0.20 for 20%.",
            "Trials is 2; it must be between 3 and 30. Fewer trials cannot show a confident difference; 5 is the default.",
            "Alpha is 0.7; it must be between 0 and 0.5, e.g. 0.01.");
        new GatePolicy { Trials = 4 }.Validate().Should().Equal(
            "With 4 against 4 trials the smallest possible p-value is 0.014, not below Alpha 0.01, so no slowdown could ever be confirmed. Use more trials (5 reach 0.004) or a larger Alpha.");
        new GatePolicy { Trials = 4, Alpha = 0.05 }.Validate().Should().BeEmpty();
    }

    [Fact]
    public void A_slowdown_measured_while_other_processes_held_the_cpu_is_not_evidence()
    {
        var slower = Compare(131, 128, 133, 126, 130);
        var quiet = Trial(process: 0.6, machine: 0.65);
        var busy = Trial(process: 0.4, machine: 0.98);

        RegressionGate.Disturbed(slower, [quiet, quiet, quiet, quiet, quiet]).Should().BeSameAs(slower);

        var downgraded = RegressionGate.Disturbed(slower, [quiet, busy, quiet, busy, quiet]);
        downgraded.Verdict.Should().Be(Verdict.Inconclusive);
        downgraded.Severity.Should().Be(CheckSeverity.Inconclusive);
        downgraded.Reason.Should().EndWith("but other processes held up to 58% of the machine's CPU on average during 2 of 5 trials, so this is not evidence of a regression. Re-run on a quiet machine");
    }

    [Fact]
    public void A_slowdown_measured_while_other_processes_held_the_cpu_in_bursts_is_not_evidence()
    {
        // Other processes averaged 5% (below the tenth that marks a disturbed trial) but held 90% of the machine for
        // 0.5 s of the 5 s: the trial's slowest tenth of requests, which set its p95, waited for a core.
        var slower = Compare(131, 128, 133, 126, 130);
        var quiet = Trial(process: 0.6, machine: 0.65, bursts: new OtherProcessesBursts(TimeSpan.Zero, 0.04));
        var burst = Trial(process: 0.6, machine: 0.65, bursts: new OtherProcessesBursts(TimeSpan.FromMilliseconds(500), 0.9));
        var brief = Trial(process: 0.6, machine: 0.65, bursts: new OtherProcessesBursts(TimeSpan.FromMilliseconds(200), 0.9));

        burst.Runtime!.OtherProcessesCpu.Should().BeApproximately(0.05, 1e-9);
        RegressionGate.Disturbed(slower, [quiet, quiet, brief, quiet, quiet]).Should().BeSameAs(slower, "a burst over 4% of a trial cannot hold a p95");

        var downgraded = RegressionGate.Disturbed(slower, [quiet, burst, quiet, quiet, quiet]);
        downgraded.Verdict.Should().Be(Verdict.Inconclusive);
        downgraded.Reason.Should().EndWith("but other processes held up to 5% of the machine's CPU on average, and 25% or more of it (peak 90%) for up to 10% of a trial's time during 1 of 5 trials, so this is not evidence of a regression. Re-run on a quiet machine");
        burst.Runtime.Warnings().Should().ContainSingle().Which.Should().Be(
            "CPU taken by other processes in bursts: for 500 ms of the 5 s measured, other processes held 25% or more of the machine's 2 cores (peak 90%), though only 5% on average. "
            + "The requests of those moments waited for a core, and they are the slowest ones, which set the high percentiles. Run performance tests on a quiet machine.");
    }

    private static LoadReport Trial(double process, double machine, OtherProcessesBursts? bursts = null)
    {
        var runtime = new RuntimeHealth(20, 2, process, process, 0, 0, 0, TimeSpan.Zero, 0, 0, 0, 4, 4, [], TimeSpan.FromSeconds(5), false, machine) { OtherProcessesBursts = bursts };
        return new LoadReport("s", "t", "p", false, 1, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(5), 1, 0, 0, 0, [Reports.Route("GET /plan", [1])], [], runtime, runtime.Warnings());
    }
}
