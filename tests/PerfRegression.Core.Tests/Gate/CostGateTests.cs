using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Gate;

/// <summary>
/// The gate decides on what a request costs as well as on its latency: CPU time, allocations and database operations
/// per request are kept per trial in the baseline and compared trial against trial, and a busy machine, which moves
/// latency, does not excuse a growth in them.
/// </summary>
public sealed class CostGateTests : IDisposable
{
    private static readonly TestIdentity Identity = TestIdentity.Named("CostGateTests.Route");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "perf-costs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_baseline_keeps_each_trials_costs_per_request()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1));

        var scenario = Store.Read(Identity)!.Scenario("s")!;

        scenario.Costs.Keys.Should().Equal("alloc", "cpu", "db");
        scenario.Costs["cpu"].Should().HaveCount(5).And.OnlyContain(v => v >= 2 && v < 2.1);
        scenario.Costs["alloc"].Should().HaveCount(5).And.OnlyContain(v => v >= 10_000 && v < 10_500);
        scenario.Costs["db"].Should().OnlyContain(v => v == 1);
    }

    [Fact]
    public void More_allocation_per_request_fails_even_while_other_processes_hold_the_machine()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1));

        var outcome = Compare(new Cost(P95: 20, Cpu: 2, Alloc: 13_000, Db: 1, Disturbed: true));

        var alloc = outcome.Comparisons.Single(c => c.Statistic == "alloc");
        alloc.Route.Should().Be("work", "a scenario of one step gives its route's cost");
        alloc.Verdict.Should().Be(Verdict.Slower);
        alloc.Severity.Should().Be(CheckSeverity.Fail);
        alloc.Reason.Should().StartWith("estimated higher by +30");
        outcome.Failed.Should().BeTrue();
        outcome.ToCheckResult().Headline.Should().StartWith("1 statistic worse than the baseline (work alloc): ");
    }

    [Fact]
    public void A_fast_route_whose_cpu_grew_fails_though_its_latency_change_is_under_the_floor()
    {
        Record(new Cost(P95: 3, Cpu: 2, Alloc: 10_000, Db: 0));

        var outcome = Compare(new Cost(P95: 3.9, Cpu: 2.6, Alloc: 10_000, Db: 0));

        var latency = outcome.Comparisons.Single(c => c.Statistic == "p95");
        latency.Severity.Should().Be(CheckSeverity.Warn, "+0.9 ms is under the 5 ms a latency slowdown must reach");
        var cpu = CpuOf(outcome);
        cpu.Severity.Should().Be(CheckSeverity.Fail);
        outcome.Comparisons.Single(c => c.Statistic == "db").Verdict.Should().Be(Verdict.Same, "none in the baseline and none now");
        outcome.ToCheckResult().Items.Single(i => i.Check == "cpu vs baseline").Measured.Should().StartWith("2.652 ms (+30%");
    }

    [Fact]
    public void One_more_database_operation_per_request_fails()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1));

        var db = Compare(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 2)).Comparisons.Single(c => c.Statistic == "db");

        db.Severity.Should().Be(CheckSeverity.Fail);
        db.Ratio.Should().Be(2);
    }

    [Fact]
    public void Database_operations_where_the_baseline_had_none_fail()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 0));

        var outcome = Compare(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1));

        var db = outcome.Comparisons.Single(c => c.Statistic == "db");
        db.Severity.Should().Be(CheckSeverity.Fail);
        db.Reason.Should().Be("1 in every trial where the baseline had none");
        outcome.ToCheckResult().Items.Single(i => i.Check == "db vs baseline").Measured.Should().Be("1 (new)");
    }

    [Fact]
    public void A_cpu_growth_of_a_fraction_of_a_millisecond_warns()
    {
        Record(new Cost(P95: 20, Cpu: 0.1, Alloc: 10_000, Db: 0));

        var cpu = CpuOf(Compare(new Cost(P95: 20, Cpu: 0.15, Alloc: 10_000, Db: 0)));

        cpu.Severity.Should().Be(CheckSeverity.Warn);
        cpu.Reason.Should().EndWith("under the 0.2 ms a CPU growth must reach to fail the test");
    }

    [Fact]
    public void A_latency_slowdown_the_wait_for_a_core_cannot_explain_fails_on_a_busy_machine()
    {
        Record(new Cost(P95: 47, Cpu: 0.5, Alloc: 10_000, Db: 0));

        var p95 = Compare(new Cost(P95: 65, Cpu: 0.5, Alloc: 10_000, Db: 0, Disturbed: true, RunQueue: 0.1)).Comparisons.Single(c => c.Statistic == "p95");

        p95.Severity.Should().Be(CheckSeverity.Fail, "0.1 ms of waiting for a core per request moves p95 by 2 ms at most, not 9");
        p95.Reason.Should().Contain("but this process's threads waited only 0.1 ms per request for a core, which can move p95 by at most 2 ms, not the 9.17 ms measured: the machine does not explain this slowdown");
    }

    [Fact]
    public void A_latency_slowdown_the_wait_for_a_core_can_explain_is_inconclusive()
    {
        Record(new Cost(P95: 47, Cpu: 0.5, Alloc: 10_000, Db: 0));

        var p95 = Compare(new Cost(P95: 65, Cpu: 0.5, Alloc: 10_000, Db: 0, Disturbed: true, RunQueue: 2)).Comparisons.Single(c => c.Statistic == "p95");

        p95.Verdict.Should().Be(Verdict.Inconclusive);
        p95.Severity.Should().Be(CheckSeverity.Inconclusive);
        p95.Reason.Should().EndWith("so this is not evidence of a regression. Re-run on a quiet machine");
    }

    [Fact]
    public void A_cpu_growth_on_a_machine_running_slower_than_when_the_baseline_was_recorded_is_inconclusive()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 0));
        SetCalibration(Calibration.MeasureNow() / 4); // recorded by a process whose machine ran the workload four times as fast

        var slowed = Compare(new Cost(P95: 20, Cpu: 2.6, Alloc: 13_000, Db: 0));

        var cpu = CpuOf(slowed);
        cpu.Verdict.Should().Be(Verdict.Inconclusive);
        cpu.Severity.Should().Be(CheckSeverity.Inconclusive);
        cpu.Reason.Should().Contain("; but this machine runs the calibration workload +").And.EndWith("so this is not evidence of a regression. Re-run when the machine runs at its usual speed");
        slowed.Comparisons.Single(c => c.Statistic == "alloc").Severity.Should().Be(CheckSeverity.Fail, "allocations do not depend on the machine's speed");

        SetCalibration(NotSlower()); // recorded where the workload ran far slower: this machine is not slower
        CpuOf(Compare(new Cost(P95: 20, Cpu: 2.6, Alloc: 10_000, Db: 0))).Severity.Should().Be(CheckSeverity.Fail);
    }

    [Fact]
    public void A_cpu_growth_within_the_fail_margin_of_what_the_other_tests_of_the_process_moved_is_inconclusive()
    {
        // Baselines of another process (its calibration far slower: this machine is not slower by that measure).
        RecordByAnotherProcess(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 0), Identity, Other("A"), Other("B"), Other("C"));

        // Alone, +30% CPU fails.
        CpuOf(Compare(new Cost(P95: 20, Cpu: 2.6, Alloc: 10_000, Db: 0))).Severity.Should().Be(CheckSeverity.Fail);

        // One other test at +25% is not yet the process's shift; two are.
        Compare(new Cost(P95: 20, Cpu: 2.5, Alloc: 10_000, Db: 0), test: Other("A"));
        CpuOf(Compare(new Cost(P95: 20, Cpu: 2.6, Alloc: 10_000, Db: 0))).Severity.Should().Be(CheckSeverity.Fail);
        Compare(new Cost(P95: 20, Cpu: 2.56, Alloc: 10_000, Db: 0), test: Other("B"));

        var shared = Compare(new Cost(P95: 20, Cpu: 2.6, Alloc: 13_000, Db: 0));
        var cpu = CpuOf(shared);
        cpu.Verdict.Should().Be(Verdict.Inconclusive);
        cpu.Severity.Should().Be(CheckSeverity.Inconclusive);
        cpu.Reason.Should().Contain("; but the 2 other tests of this process measured cpu +").And.Contain("CostGateTests.A +25").And.EndWith("Compare base and head in one job (dotnet perf ab) to tell which");
        shared.Comparisons.Single(c => c.Statistic == "alloc").Severity.Should().Be(CheckSeverity.Fail, "allocations do not move with the machine");

        // Beyond the others by more than the fail margin (+60% against their +26%): this route's own.
        var beyond = CpuOf(Compare(new Cost(P95: 20, Cpu: 3.2, Alloc: 10_000, Db: 0)));
        beyond.Severity.Should().Be(CheckSeverity.Fail, beyond.Reason);

        // Tests whose baselines live in another folder are another suite: they say nothing about this one.
        var elsewhere = new CostGateTests();
        elsewhere.Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 0));
        elsewhere.SetCalibration(NotSlower());
        CpuOf(elsewhere.Compare(new Cost(P95: 20, Cpu: 2.6, Alloc: 10_000, Db: 0))).Severity.Should().Be(CheckSeverity.Fail);
        elsewhere.Dispose();
    }

    [Fact]
    public void A_cpu_growth_hidden_by_a_baseline_process_that_measured_every_route_dearer_fails_relative_to_the_other_tests()
    {
        // Baselines of one process that measured every route 20% dearer than this process does.
        RecordByAnotherProcess(new Cost(P95: 20, Cpu: 3.6, Alloc: 10_000, Db: 0), Identity, Other("A"), Other("B"), Other("C"));

        // Alone, +30% of real work against a dear baseline reads +8%: not a failure.
        CpuOf(Compare(new Cost(P95: 20, Cpu: 3.9, Alloc: 10_000, Db: 0))).Severity.Should().NotBe(CheckSeverity.Fail);

        // One other test at -17% is not yet the process's shift; two are.
        Compare(new Cost(P95: 20, Cpu: 3.0, Alloc: 10_000, Db: 0), test: Other("A"));
        CpuOf(Compare(new Cost(P95: 20, Cpu: 3.9, Alloc: 10_000, Db: 0))).Severity.Should().NotBe(CheckSeverity.Fail);
        Compare(new Cost(P95: 20, Cpu: 2.97, Alloc: 10_000, Db: 0), test: Other("B"));

        var cpu = CpuOf(Compare(new Cost(P95: 20, Cpu: 3.9, Alloc: 10_000, Db: 0)));
        cpu.Severity.Should().Be(CheckSeverity.Fail, cpu.Reason);
        cpu.Ratio.Should().BeApproximately(3.9 / (3.6 * (2.985 / 3.6)), 0.01);
        cpu.Reason.Should().Contain("measured against the baseline × 0.829: the 2 other tests of this process measured cpu -17.1%").And.Contain("CostGateTests.A -16.7%")
            .And.EndWith("beyond the process's shift (against its own baseline alone, +8.3%)");

        // The same route unchanged moves with the others: no failure.
        CpuOf(Compare(new Cost(P95: 20, Cpu: 3.0, Alloc: 10_000, Db: 0))).Severity.Should().Be(CheckSeverity.Pass);
    }

    [Fact]
    public void Routes_too_fast_for_their_change_to_reach_the_floor_say_nothing_of_the_process_shift()
    {
        RecordByAnotherProcess(new Cost(P95: 40, Cpu: 2, Alloc: 10_000, Db: 0), Identity);
        RecordByAnotherProcess(new Cost(P95: 3, Cpu: 2, Alloc: 10_000, Db: 0), Other("A"), Other("B"));

        // Two 3 ms routes +50% (1.5 ms: under the 5 ms floor, as fast routes move between processes).
        Compare(new Cost(P95: 4.5, Cpu: 2, Alloc: 10_000, Db: 0), test: Other("A"));
        Compare(new Cost(P95: 4.5, Cpu: 2, Alloc: 10_000, Db: 0), test: Other("B"));

        var p95 = Compare(new Cost(P95: 52, Cpu: 2, Alloc: 10_000, Db: 0)).Comparisons.Single(c => c.Statistic == "p95");
        p95.Severity.Should().Be(CheckSeverity.Fail, p95.Reason);
    }

    [Fact]
    public void Other_tests_that_disagree_on_the_process_shift_do_not_rescale_a_route()
    {
        RecordByAnotherProcess(new Cost(P95: 20, Cpu: 3.6, Alloc: 10_000, Db: 0), Identity, Other("A"), Other("B"), Other("C"));

        // -40% and -5%: no shift most of them share.
        Compare(new Cost(P95: 20, Cpu: 2.16, Alloc: 10_000, Db: 0), test: Other("A"));
        Compare(new Cost(P95: 20, Cpu: 3.42, Alloc: 10_000, Db: 0), test: Other("B"));

        var cpu = CpuOf(Compare(new Cost(P95: 20, Cpu: 3.9, Alloc: 10_000, Db: 0)));
        cpu.Severity.Should().NotBe(CheckSeverity.Fail, cpu.Reason);
        cpu.Reason.Should().NotContain("measured against the baseline ×");
    }

    [Fact]
    public void An_undecided_cost_runs_more_trials_up_to_twice_the_policys()
    {
        Record(new Cost(P95: 20, Cpu: 3, Alloc: 10_000, Db: 0));
        var gate = Gate(BaselineMode.Compare, GatePolicy.Default);
        gate.Begin("s");
        var trials = new[] { 3.9, 3.8, 3.05, 3.95, 3.85 }.Select(cpu => Trial(new Cost(P95: 20, Cpu: cpu, Alloc: 10_000, Db: 0), 1)).ToList();

        gate.WantsAnotherTrial("s", trials).Should().BeTrue("+27% CPU with one trial among the baseline's is not decided by five trials");
        trials.AddRange(Enumerable.Repeat(Trial(new Cost(P95: 20, Cpu: 3.9, Alloc: 10_000, Db: 0), 1), 5));
        gate.WantsAnotherTrial("s", trials).Should().BeFalse("ten trials are the most");
        gate.Complete("s", trials);

        CpuOf(gate.Finish(othersPassed: true)).Severity.Should().Be(CheckSeverity.Fail, "ten trials decide it");
    }

    [Fact]
    public void A_baseline_recorded_before_costs_were_kept_compares_latency_and_says_so()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1));
        var path = Store.PathOf(Identity);
        var file = Store.Read(Identity)!;
        file.Scenarios.Single().Costs.Clear();
        BaselineStore.Write(path, file);

        var outcome = Compare(new Cost(P95: 20, Cpu: 3, Alloc: 20_000, Db: 2));

        outcome.Comparisons.Select(c => c.Statistic).Should().Equal("p95");
        outcome.Notes.Should().Contain($"The baseline {path} predates costs per request (CPU, allocations, database operations), so only latency was compared. Record it again (PERF_BASELINE=update) to gate on them as well.");
    }

    [Fact]
    public void Costs_measured_while_another_performance_test_ran_in_the_process_are_not_compared()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1));

        var outcome = Compare(new Cost(P95: 20, Cpu: 3, Alloc: 20_000, Db: 1, OtherTests: true));

        outcome.Comparisons.Select(c => c.Statistic).Should().Equal("p95");
        outcome.Notes.Should().Contain("Costs per request of scenario 's' were not compared: another performance test ran in this process during the measurement, and its work counts in this process's CPU time and allocations. Run performance tests one at a time (see the warning).");
        Trial(new Cost(P95: 20, Cpu: 3, Alloc: 20_000, Db: 1, OtherTests: true), 1).Warnings.Should().Contain(w => w.StartsWith("Another performance test ran in this process during the measurement", StringComparison.Ordinal));
    }

    [Fact]
    public void A_policy_without_costs_compares_latency_only()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1));

        var outcome = Compare(new Cost(P95: 20, Cpu: 3, Alloc: 20_000, Db: 2), GatePolicy.Default with { Costs = [] });

        outcome.Comparisons.Select(c => c.Statistic).Should().Equal("p95");
        outcome.Failed.Should().BeFalse();
    }

    [Fact]
    public void The_attribute_states_the_costs_and_the_cpu_floor()
    {
        var policy = new RegressionGateAttribute { Costs = "alloc", MinimumCpuIncrease = 0.5 }.Policy;

        policy.Costs.Should().Equal("alloc");
        policy.MinimumCpuIncreaseMilliseconds.Should().Be(0.5);
        new RegressionGateAttribute().Policy.Costs.Should().Equal("cpu", "alloc", "db");
        (GatePolicy.Default with { Costs = ["cpu", "heap"], MinimumCpuIncreaseMilliseconds = -1 }).Validate().Should().Equal(
            "The gate cost 'heap' is unknown. Use one of cpu, alloc, db, server-cpu, bytes.",
            "MinimumCpuIncreaseMilliseconds is -1; it must be 0 or more milliseconds, e.g. 0.2.");
    }

    [Fact]
    public void A_latency_slowdown_that_a_longer_wait_for_a_core_explains_is_inconclusive_and_one_it_does_not_explain_fails()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1, RunQueue: 0.1));
        Store.Read(Identity)!.Scenario("s")!.Costs["wait"].Should().HaveCount(5);

        // +10 ms of p95; the threads waited 0.9 ms more per request, which can move p95 by up to 18 ms.
        var busier = Compare(new Cost(P95: 30, Cpu: 2, Alloc: 10_000, Db: 1, RunQueue: 1.0)).Comparisons.Single(c => c.Statistic == "p95");
        // Only 0.1 ms more: up to 2 ms of p95, not 10.
        var slower = Compare(new Cost(P95: 30, Cpu: 2, Alloc: 10_000, Db: 1, RunQueue: 0.2)).Comparisons.Single(c => c.Statistic == "p95");

        busier.Verdict.Should().Be(Verdict.Inconclusive);
        busier.Severity.Should().Be(CheckSeverity.Inconclusive);
        busier.Reason.Should().Contain("but this process's threads waited 1 ms per request for a core against 0.1 ms when the baseline was recorded, which can move p95 by up to 18 ms");
        slower.Verdict.Should().Be(Verdict.Slower);
        slower.Severity.Should().Be(CheckSeverity.Fail);
        GatePolicy.Default.Costs.Should().NotContain("wait", "the wait is evidence about the machine, never a cost of the code");

        // The same wait, but this process's CPU per request grew by 30%: the system is busier, not only the machine.
        var costlier = Compare(new Cost(P95: 30, Cpu: 2.6, Alloc: 10_000, Db: 1, RunQueue: 1.0)).Comparisons.Single(c => c.Statistic == "p95");
        costlier.Verdict.Should().Be(Verdict.Slower, "a slowdown of the system itself is never excused by the wait it causes");
    }

    [Fact]
    public void Larger_responses_are_kept_in_the_baseline_and_fail_only_when_the_gate_compares_them()
    {
        Record(new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1, Bytes: 4_000));
        Store.Read(Identity)!.Scenario("s")!.Costs["bytes"].Should().HaveCount(5).And.OnlyContain(v => v == 4_000);

        var grown = new Cost(P95: 20, Cpu: 2, Alloc: 10_000, Db: 1, Bytes: 5_600);
        var byDefault = Compare(grown);
        var told = Compare(grown, GatePolicy.Default with { Costs = ["cpu", "alloc", "db", "bytes"] });

        byDefault.Comparisons.Should().NotContain(c => c.Statistic == "bytes", "a response that grows on purpose is a feature: bytes are compared only when asked");
        byDefault.Failed.Should().BeFalse();
        var bytes = told.Comparisons.Single(c => c.Statistic == "bytes");
        bytes.Verdict.Should().Be(Verdict.Slower);
        bytes.Severity.Should().Be(CheckSeverity.Fail);
        told.ToCheckResult().Headline.Should().StartWith("1 statistic worse than the baseline (work bytes): ");
    }

    private BaselineStore Store => new(_directory, "pr");

    private static StatisticComparison CpuOf(GateOutcome outcome) => outcome.Comparisons.Single(c => c.Statistic == "cpu");

    /// <summary>
    /// A calibration time for a baseline recorded where the workload ran 20 times slower than now, so that the gate's
    /// own measurement at comparison time never reads this machine as slower. Four times was not always enough: in a CI
    /// run, with the assembly's tests starting in parallel on 2 cores, a comparison the test expects to fail on CPU came
    /// out Inconclusive, as the gate does when it measures the machine slower than the baseline's calibration.
    /// </summary>
    private static double NotSlower() => Calibration.MeasureNow() * 20;

    private static TestIdentity Other(string name) => TestIdentity.Named("CostGateTests." + name);

    private void Record(Cost cost, TestIdentity? test = null)
    {
        var gate = Gate(BaselineMode.Update, GatePolicy.Default, test);
        gate.Begin("s");
        gate.Complete("s", Trials(cost));
        gate.Finish(othersPassed: true).BaselineWritten.Should().BeTrue();
    }

    /// <summary>Baselines of <paramref name="tests"/> at <paramref name="cost"/>, as another process records them (its calibration far slower than now).</summary>
    private void RecordByAnotherProcess(Cost cost, params TestIdentity[] tests)
    {
        foreach (var test in tests)
        {
            Record(cost, test);
            SetCalibration(NotSlower(), test);
        }
    }

    private void SetCalibration(double milliseconds, TestIdentity? test = null)
    {
        var path = Store.PathOf(test ?? Identity);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        json["calibrationMilliseconds"] = Math.Round(milliseconds, 3);
        File.WriteAllText(path, json.ToJsonString());
    }

    private GateOutcome Compare(Cost cost, GatePolicy? policy = null, TestIdentity? test = null)
    {
        var gate = Gate(BaselineMode.Compare, policy ?? GatePolicy.Default, test);
        gate.Begin("s");
        gate.Complete("s", Trials(cost));
        return gate.Finish(othersPassed: true);
    }

    private RegressionGate Gate(BaselineMode mode, GatePolicy policy, TestIdentity? test = null)
        => new(test ?? Identity, policy, new PerfSettings { Mode = mode }, Store, EnvironmentFingerprint.Current(typeof(CostGateTests).Assembly));

    /// <summary>Five trials of 1,000 requests each at these costs, each a little apart (up to +4%), as trials are.</summary>
    private static LoadReport[] Trials(Cost cost) => Enumerable.Range(0, 5).Select(i => Trial(cost, 1 + (i * 0.01))).ToArray();

    private static LoadReport Trial(Cost cost, double spread)
    {
        const int Requests = 1000;
        var latencies = Enumerable.Repeat(cost.P95 * spread * 0.5, 950).Concat(Enumerable.Repeat(cost.P95 * spread, 50));
        var runtime = new RuntimeHealth(20, 2, 0.4, 0.4, 0, 0, 0, TimeSpan.Zero, (long)(cost.Alloc * spread * Requests), 0, 0, 4, 4, [], TimeSpan.FromSeconds(5), false, cost.Disturbed ? 0.98 : 0.45)
        {
            CpuTime = TimeSpan.FromMilliseconds(cost.Cpu * spread * Requests),
            DatabaseOperations = (long)(cost.Db * Requests),
            DatabaseTime = TimeSpan.FromMilliseconds(cost.Db * Requests * 0.2),
            RunQueueWait = cost.RunQueue is { } wait ? TimeSpan.FromMilliseconds(wait * Requests) : null,
            OtherTestsInProcess = cost.OtherTests,
        };
        return new LoadReport("s", "t", "p", false, 1, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(5), Requests, 0, 0, 0, [Reports.Route("work", latencies, responseBytes: cost.Bytes is { } bytes ? (long)(bytes * Requests) : null)], [], runtime, runtime.Warnings());
    }

    private sealed record Cost(double P95, double Cpu, double Alloc, double Db, bool Disturbed = false, double? RunQueue = null, bool OtherTests = false, double? Bytes = null);
}
