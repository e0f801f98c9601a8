using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using PerfRegression.Checks;
using PerfRegression.Engine;
using PerfRegression.Measurement;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Gate;

/// <summary>
/// The gate end to end on a fake clock: one user's step advances time by a known pattern, so every
/// trial's statistics are exact; the runs are compared with a baseline they recorded and judged as
/// the attributes judge them. (The gate's behaviour under real noise is the gate benchmark's job.)
/// </summary>
public sealed class RegressionGateTests : IDisposable
{
    private static readonly MethodInfo Method = typeof(RegressionGateTests).GetMethod(nameof(An_injected_slowdown_fails_with_the_evidence_and_proposes_a_received_file))!;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "perf-gate-" + Guid.NewGuid().ToString("N"));
    private int _trialsRun;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Update_records_a_baseline_from_several_trials()
    {
        var outcome = await Run(BaselineMode.Update, delayMs: 20);

        outcome.Failure.Should().BeNull();
        outcome.Gate!.BaselineWritten.Should().BeTrue();
        var file = Store.Read(Identity)!;
        file.Scenarios.Should().ContainSingle().Which.Trials.Should().Be(5);
        file.Scenarios[0].Runs.Should().Equal([5]);
        var route = file.Scenarios[0].Route("work")!;
        route.TrialStatistics["p95"].Should().HaveCount(5).And.OnlyContain(v => v >= 22 && v <= 22.2, "each trial cycles through 20, 21 and 22 ms");
        route.Histogram.Should().NotBeEmpty();
        file.Environment.Should().Be(EnvironmentFingerprint.Current(Method.DeclaringType!.Assembly) with { Build = "optimized" }, "no app was measured, and the library is optimised");
        file.CalibrationMilliseconds.Should().BePositive();
        File.ReadAllText(Store.PathOf(Identity)).Should().NotContain("startedAt", "a baseline has no volatile fields");
    }

    [Fact]
    public async Task Extend_adds_another_process_trials_so_the_baseline_spans_both()
    {
        await Run(BaselineMode.Update, delayMs: 20);

        var outcome = await Run(BaselineMode.Extend, delayMs: 24);

        outcome.Failure.Should().BeNull();
        outcome.Gate!.Notes.Should().ContainSingle(n => n.StartsWith("Baseline extended with this process's 5 trials per scenario ('gated': 10 trials in all)", StringComparison.Ordinal));
        var file = Store.Read(Identity)!;
        var route = file.Scenarios.Single().Route("work")!;
        file.Scenarios.Single().Trials.Should().Be(10);
        file.Scenarios.Single().Runs.Should().Equal([5, 5], "the gate tells the spread between processes from the spread between trials");
        route.TrialStatistics["p95"].Should().HaveCount(10);
        route.TrialStatistics["p95"].Take(5).Should().OnlyContain(v => v >= 22 && v <= 22.2, "the first process's trials stay");
        route.TrialStatistics["p95"].Skip(5).Should().OnlyContain(v => v >= 26 && v <= 26.3, "the second process's are added");
        route.Count.Should().Be(route.TrialCounts.Sum());
        LatencyDistribution.Decode(route.Histogram).Count.Should().Be(route.Count, "the histograms merge exactly");

        var compared = await Run(BaselineMode.Compare, delayMs: 22);
        compared.Gate!.Comparisons.Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Same, "a run between the two processes is what the baseline now expects");
    }

    [Fact]
    public async Task An_unchanged_route_passes_after_a_single_trial()
    {
        await Run(BaselineMode.Update, delayMs: 20);
        var before = File.ReadAllText(Store.PathOf(Identity));

        var outcome = await Run(BaselineMode.Compare, delayMs: 20);

        outcome.Failure.Should().BeNull();
        var comparison = outcome.Gate!.Comparisons.Should().ContainSingle().Subject;
        comparison.Verdict.Should().Be(Verdict.Same);
        comparison.Current.Should().ContainSingle("a first trial like the baseline needs no confirmation");
        File.ReadAllText(Store.PathOf(Identity)).Should().Be(before, "compare mode never rewrites an existing baseline");
    }

    [Fact]
    public async Task A_finished_test_regenerates_the_run_report_with_its_baseline_overlaid()
    {
        await Run(BaselineMode.Update, delayMs: 20);

        await Run(BaselineMode.Compare, delayMs: 20);

        var report = File.ReadAllText(Path.Combine(_directory, "results", HtmlReport.FileName));
        report.Should().Contain("<section class=\"test pass\" id=\"t1\" data-test=\"RegressionGateTests.An_injected_slowdown_fails_with_the_evidence_and_proposes_a_received_file\">")
            .And.Contain("baseline of 5 trials overlaid (dashed)").And.Contain("\"label\":\"work (baseline)\"");
    }

    [Fact]
    public async Task An_injected_slowdown_fails_with_the_evidence_and_proposes_a_received_file()
    {
        await Run(BaselineMode.Update, delayMs: 20);
        var before = File.ReadAllText(Store.PathOf(Identity));

        var outcome = await Run(BaselineMode.Compare, delayMs: 34);

        var comparison = outcome.Gate!.Comparisons.Should().ContainSingle().Subject;
        comparison.Verdict.Should().Be(Verdict.Slower);
        comparison.Severity.Should().Be(CheckSeverity.Fail);
        comparison.Current.Should().HaveCount(5, "a route that looks slower is confirmed with more trials");
        comparison.Ratio.Should().BeApproximately(36.0 / 22, 0.01);
        var message = outcome.Failure!.Message;
        message.Should().StartWith("Performance check failed for RegressionGateTests.An_injected_slowdown_fails_with_the_evidence_and_proposes_a_received_file (scenario 'gated'): 1 statistic worse than the baseline (work p95): estimated beyond the 20% fail margin and significantly worse (p < 0.01).");
        message.Should().Contain("Baseline (pr profile, compare mode)").And.Contain("Slower: FAIL").And.Contain("5 / 5").And.Contain("accept it: mv '");
        File.Exists(outcome.Gate.ReceivedPath).Should().BeTrue();
        File.ReadAllText(Store.PathOf(Identity)).Should().Be(before, "a failing run never becomes a baseline");
        Snapshot.Match(message.Replace(_directory, "{baselines}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Strict_mode_fails_a_missing_baseline_and_writes_only_a_received_file()
    {
        var outcome = await Run(BaselineMode.Strict, delayMs: 5);

        outcome.Failure!.Message.Should().Contain("Scenario 'gated' has no baseline in " + Store.PathOf(Identity) + ", and strict mode (PERF_BASELINE=strict, as in CI) does not record one.");
        File.Exists(Store.PathOf(Identity)).Should().BeFalse();
        File.Exists(BaselineStore.ReceivedPathOf(Store.PathOf(Identity))).Should().BeTrue();
    }

    [Fact]
    public async Task Compare_mode_under_CI_proposes_a_missing_baseline_instead_of_writing_it()
    {
        var outcome = await Run(BaselineMode.Compare, delayMs: 5, ci: true);

        outcome.Failure.Should().BeNull();
        File.Exists(Store.PathOf(Identity)).Should().BeFalse();
        outcome.Gate!.Notes.Should().ContainSingle(n => n.Contains("this run does not record one (CI)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_mode_records_a_missing_baseline_locally()
    {
        var outcome = await Run(BaselineMode.Compare, delayMs: 5);

        outcome.Failure.Should().BeNull();
        outcome.Gate!.BaselineWritten.Should().BeTrue();
        Store.Read(Identity)!.Scenarios[0].Trials.Should().Be(5);
    }

    [Fact]
    public async Task A_run_that_breaks_a_budget_never_becomes_a_baseline_even_in_update_mode()
    {
        var outcome = await Run(BaselineMode.Update, delayMs: 20, budgets: [Budget.P95(1)]);

        outcome.Failure.Should().NotBeNull();
        File.Exists(Store.PathOf(Identity)).Should().BeFalse();
        outcome.Gate!.Notes.Should().Contain(n => n.StartsWith("Another check of the test failed, so no baseline was recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_whose_budget_broke_in_its_first_trial_spends_no_more_trials_on_recording_or_confirming()
    {
        var recording = await Run(BaselineMode.Update, delayMs: 20, budgets: [Budget.P95(1)]);

        _trialsRun.Should().Be(1, "the budget broke in the first trial; the five recording trials could not make it pass");
        recording.Gate!.Notes.Should().Contain("No more trials of scenario 'gated': its p95 budget broke after the first trial, which fails the test; more trials would only serve the baseline comparison, and a failing run is never recorded as a baseline.");

        await Run(BaselineMode.Update, delayMs: 20);
        var slower = await Run(BaselineMode.Compare, delayMs: 30, budgets: [Budget.P95(25, "work")]);

        _trialsRun.Should().Be(1, "a slowdown the gate would confirm over five trials is not confirmed once a budget broke");
        slower.Failure!.Message.Should().Contain("No more trials of scenario 'gated': its p95 budget on route 'work' broke after the first trial, which fails the test; more trials would only serve the baseline comparison, and a failing run is not compared further.");
    }

    [Fact]
    public async Task A_run_within_its_budgets_still_gets_the_trials_the_gate_asks_for()
    {
        await Run(BaselineMode.Update, delayMs: 20, budgets: [Budget.P95(1000)]);

        _trialsRun.Should().Be(5);
        Store.Read(Identity)!.Scenarios[0].Trials.Should().Be(5);
    }

    [Fact]
    public async Task A_route_that_disappeared_fails_and_names_the_file()
    {
        await Run(BaselineMode.Update, delayMs: 5);
        var outcome = await Run(BaselineMode.Compare, delayMs: 5, step: "renamed");

        outcome.Failure!.Message.Should().Contain($"Route 'work' of scenario 'gated' is in the baseline {Store.PathOf(Identity)} but this run did not record it.");
        outcome.Gate!.Notes.Should().Contain(n => n.StartsWith("Route 'renamed' of scenario 'gated' is new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupt_baseline_fails_the_test_with_the_file_and_the_fix()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Store.PathOf(Identity))!);
        await File.WriteAllTextAsync(Store.PathOf(Identity), "not json", TestContext.Current.CancellationToken);

        var outcome = await Run(BaselineMode.Compare, delayMs: 5);

        outcome.Failure!.Message.Should().Contain($"The baseline file {Store.PathOf(Identity)} cannot be used: it is not valid baseline JSON");
        (await File.ReadAllTextAsync(Store.PathOf(Identity), TestContext.Current.CancellationToken)).Should().Be("not json", "a corrupt file is reported, never overwritten");
    }

    [Fact]
    public async Task A_baseline_from_another_environment_is_never_compared_silently()
    {
        await Run(BaselineMode.Update, delayMs: 20);
        var path = Store.PathOf(Identity);
        var json = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        var cpu = EnvironmentFingerprint.Current().CpuModel;
        await File.WriteAllTextAsync(path, json.Replace($"\"cpuModel\": \"{cpu}\"", "\"cpuModel\": \"Recording CPU\"", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var normalized = await Run(BaselineMode.Compare, delayMs: 20);
        normalized.Gate!.Notes.Should().ContainSingle(n => n.StartsWith($"The baseline was recorded in another environment (CPU model: Recording CPU → {cpu}). Policy normalize: baseline values were scaled by", StringComparison.Ordinal));
        normalized.Gate.Comparisons.Should().ContainSingle();

        var absolute = await Run(BaselineMode.Compare, delayMs: 20, policy: EnvironmentPolicy.AbsoluteOnly);
        absolute.Gate!.Comparisons.Should().BeEmpty();
        absolute.Gate.Notes.Should().ContainSingle(n => n.Contains("Policy absolute-only: no relative comparison was made", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_calibration_no_two_machines_could_differ_by_fails_instead_of_deciding_the_verdict()
    {
        await Run(BaselineMode.Update, delayMs: 20);
        var path = Store.PathOf(Identity);
        var json = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        var cpu = EnvironmentFingerprint.Current().CpuModel;
        json = json.Replace($"\"cpuModel\": \"{cpu}\"", "\"cpuModel\": \"Recording CPU\"", StringComparison.Ordinal);
        json = System.Text.RegularExpressions.Regex.Replace(json, "\"calibrationMilliseconds\": [0-9.]+", "\"calibrationMilliseconds\": 0.000001");
        await File.WriteAllTextAsync(path, json, TestContext.Current.CancellationToken);

        var outcome = await Run(BaselineMode.Compare, delayMs: 20);

        outcome.Failure.Should().NotBeNull("a tiny calibration would scale the baseline a millionfold, which decides the verdict by itself");
        outcome.Gate!.Comparisons.Should().BeEmpty();
        outcome.Gate.Problems.Should().ContainSingle().Which.Should().StartWith($"The baseline {path} was recorded with a calibration time of 0.000001 ms")
            .And.EndWith("Record the baseline on this machine (PERF_BASELINE=update), or compare without normalising (PERF_ENVIRONMENT_POLICY=absolute-only).");
    }

    [Fact]
    public async Task One_scenario_may_run_only_once_per_test()
    {
        var act = () => Run(BaselineMode.Compare, delayMs: 1, runs: 2);
        await act.Should().ThrowAsync<PerfConfigurationException>().WithMessage("Scenario 'gated' ran twice in *. Each load run of a test is compared with its own baseline by scenario name; give each run a distinct Scenario.Create(name).");
    }

    [Fact]
    public async Task A_failed_comparison_prints_the_accept_command_once_in_the_console_and_keeps_it_in_the_files()
    {
        await Run(BaselineMode.Update, delayMs: 20);
        var host = new RecordingHost();

        var outcome = await Run(BaselineMode.Compare, delayMs: 34, host: host);

        var command = $"accept it: mv '{outcome.Gate!.ReceivedPath}' '{outcome.Gate.BaselinePath}'";
        host.Count("mv '", outcome.Failure!.Message).Should().Be(1, "dotnet test prints the failure message and the output twice at detailed verbosity; the command goes to the warnings only, printed once");
        host.Warnings.Should().Contain(command);
        outcome.Failure.Message.Should().Contain("  received: " + outcome.Gate.ReceivedPath + "\n  accept it: the command is printed once beside this test's result in the console, and kept in summary.md\n");
        host.Output.Should().NotContain(o => o.Contains("Performance check failed", StringComparison.Ordinal), "the failure message is the verdict");
        var results = Path.Combine(_directory, "results");
        File.ReadAllText(Path.Combine(results, "summary.md")).Should().Contain(command, "summary.md keeps the whole verdict of a failed test");
        File.ReadAllText(Directory.GetFiles(Path.Combine(results, "tests"), "*.json").Single()).Should().Contain(command, "the results file keeps the check's commands");
    }

    [Fact]
    public async Task A_proposed_baseline_prints_its_accept_command_once_with_the_passed_test_one_line_result()
    {
        var host = new RecordingHost();

        var outcome = await Run(BaselineMode.Compare, delayMs: 5, ci: true, host: host);

        outcome.Failure.Should().BeNull();
        host.Count("mv '").Should().Be(1, "the note that proposes the file used to repeat the command in the section, the output and the warnings");
        host.Warnings.Should().BeEmpty("a passed test with warnings has its output echoed twice by dotnet test at detailed verbosity");
        host.Announcements[0].Should().Be("PASS RegressionGateTests.An_injected_slowdown_fails_with_the_evidence_and_proposes_a_received_file · 500 requests · error rate (default) 0% ≤ 1% · baseline: none, proposed one");
        host.Announcements.Should().Contain($"  accept it: mv '{outcome.Gate!.ReceivedPath}' '{outcome.Gate.BaselinePath}'");
    }

    [Fact]
    public void The_library_is_built_optimised_and_a_debug_assembly_is_told_apart()
    {
        Builds.IsOptimized(typeof(Builds).Assembly).Should().BeTrue("the library measures: eng/Library.props optimises it in every configuration");
#if DEBUG
        Builds.IsOptimized(DebugApp).Should().BeFalse("a Debug build of a test project has the JIT optimiser disabled");
#endif
        Builds.Describe([]).Should().Be("optimized");
        Builds.Describe(["MealPlanner.Api", "MealPlanner.Domain"]).Should().Be("not optimized: MealPlanner.Api, MealPlanner.Domain");
    }

    [Fact]
    public async Task A_debug_build_of_the_app_is_named_in_the_verdict_and_recorded_in_the_baseline()
    {
        Assert.SkipWhen(Builds.IsOptimized(DebugApp), "the test assembly stands for a Debug app, and this build of it is optimised");
        var host = new RecordingHost();

        await Run(BaselineMode.Update, delayMs: 20, host: host, debugApp: true);

        Store.Read(Identity)!.Environment!.Build.Should().Be("not optimized: PerfRegression.Core.Tests");
        host.Announcements.Should().Contain("  ! " + Builds.Warning(["PerfRegression.Core.Tests"]));
        Snapshot.Match(host.Output[^1].Replace(_directory, "{baselines}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_baseline_of_another_build_makes_every_comparison_inconclusive_and_says_why()
    {
        Assert.SkipWhen(Builds.IsOptimized(DebugApp), "the test assembly stands for a Debug app, and this build of it is optimised");
        await Run(BaselineMode.Update, delayMs: 20);
        Store.Read(Identity)!.Environment!.Build.Should().Be("optimized");
        var host = new RecordingHost();

        var outcome = await Run(BaselineMode.Compare, delayMs: 34, host: host, debugApp: true);

        outcome.Failure.Should().BeNull("+64% measured against another build is no evidence about the change");
        outcome.Gate!.Comparisons.Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Inconclusive);
        Snapshot.Match(host.Output[^1].Replace(_directory, "{baselines}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_baseline_that_does_not_say_how_it_was_built_is_compared_as_before()
    {
        await Run(BaselineMode.Update, delayMs: 20);
        var path = Store.PathOf(Identity);
        var json = File.ReadAllText(path);
        json.Should().Contain("\"build\": \"optimized\"");
        File.WriteAllText(path, json.Replace(",\n    \"build\": \"optimized\"", string.Empty, StringComparison.Ordinal));
        Store.Read(Identity)!.Environment!.Build.Should().BeNull("a baseline recorded before the build was kept still loads");

        var outcome = await Run(BaselineMode.Compare, delayMs: 34, debugApp: true);

        outcome.Gate!.Comparisons.Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Slower, "an unknown build is not a different one");
        outcome.Gate.Notes.Should().NotContain(n => n.Contains("build", StringComparison.Ordinal));
    }

    private static Assembly DebugApp => typeof(RegressionGateTests).Assembly;

    private BaselineStore Store => new(_directory, "pr");

    private static TestIdentity Identity => TestIdentity.From(Method);

    private async Task<(GateOutcome? Gate, PerfCheckException? Failure)> Run(BaselineMode mode, int delayMs, bool ci = false, Budget[]? budgets = null, string step = "work", EnvironmentPolicy policy = EnvironmentPolicy.Normalize, int runs = 1, RecordingHost? host = null, bool debugApp = false)
    {
        var settings = new PerfSettings { Mode = mode, IsCi = ci, EnvironmentPolicy = policy, BaselineDirectory = _directory, ResultsDirectory = Path.Combine(_directory, "results") };
        using var session = PerfSession.Start(Identity, settings, host);
        if (budgets is not null)
        {
            session.AddBudgets(budgets);
        }

        // Durations cycle through delay, delay+1, delay+2 ms: a little spread, fully reproducible.
        var time = new FakeTimeProvider();
        var scenario = Scenario.Create("gated").Step(step, (user, _) =>
        {
            time.Advance(TimeSpan.FromMilliseconds(delayMs + (user.Iteration % 3)));
            return Task.CompletedTask;
        });
        var options = new LoadOptions { TimeProvider = time, Warmup = TimeSpan.Zero, GracefulStop = TimeSpan.Zero };
        for (var i = 0; i < runs; i++)
        {
            await Load.RunAsync(new StubTarget(debugApp ? DebugApp : null), scenario, LoadProfile.Users(1, TimeSpan.FromMilliseconds(600)), options, TestContext.Current.CancellationToken);
        }

        _trialsRun = session.Reports.Sum(r => r.Runs);
        var verdict = await session.FinishAsync(TestContext.Current.CancellationToken);
        PerfCheckException? failure = null;
        if (host is not null)
        {
            // As the attributes fail the test: the message as the console shows it.
            failure = Record.Exception(() => verdict.EnsurePassedInConsole()) as PerfCheckException;
        }
        else if (!verdict.Passed)
        {
            failure = new PerfCheckException(verdict);
        }

        return (verdict.Details<GateOutcome>(), failure);
    }

    private sealed class StubTarget(Assembly? app = null) : ILoadTarget, IAppTarget
    {
        public Assembly? App => app;

        public string Description => "stub";

        public bool InProcess => true;

        public HttpClient CreateClient() => new();
    }
}
