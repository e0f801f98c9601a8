using System.Reflection;
using PerfRegression.Checks;
using PerfRegression.Engine;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Budgets;

/// <summary>
/// Micro-benchmarks in the verdict: budgets on time, allocations and collections per operation, and the baseline
/// (time with the gate's statistics over the iterations, allocations exactly), from results whose figures are known.
/// </summary>
public sealed class MicroBenchmarkCheckTests : IDisposable
{
    private static readonly MethodInfo Method = typeof(MicroBenchmarkCheckTests).GetMethod(nameof(Thirty_percent_more_time_per_operation_fails_with_the_evidence))!;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "perf-micro-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Update_records_every_iteration_and_the_same_code_later_passes()
    {
        var recorded = await Run(BaselineMode.Update, Result(scale: 1));
        recorded.Passed.Should().BeTrue(recorded.Text);
        File.ReadAllText(BaselinePath).Should().Contain("\"name\": \"PlanBenchmarks.Plan\"").And.Contain("\"allocatedBytesPerOperation\": 12288");

        var compared = await Run(BaselineMode.Compare, Result(scale: 1.02));

        compared.Passed.Should().BeTrue(compared.Text);
        Section(compared).Items.Select(i => (i.Check, i.Verdict)).Should().Equal([("time/op vs baseline", "Same"), ("allocated/op vs baseline", "Same")]);
    }

    [Fact]
    public async Task Thirty_percent_more_time_per_operation_fails_with_the_evidence()
    {
        await Run(BaselineMode.Update, Result(scale: 1));
        var before = File.ReadAllText(BaselinePath);

        var verdict = await Run(BaselineMode.Compare, Result(scale: 1.3));

        verdict.Passed.Should().BeFalse();
        var item = Section(verdict).Items.Single(i => i.Check == "time/op vs baseline");
        item.Verdict.Should().Be("Slower");
        item.Reason.Should().StartWith("estimated slower by +30%, beyond the fail margin of 20%, and significantly slower");
        File.ReadAllText(BaselinePath).Should().Be(before, "a failing run never becomes a baseline");
        File.Exists(Path.ChangeExtension(BaselinePath, ".received.json")).Should().BeTrue();
        Snapshot.Match(verdict.Text.Replace(_directory, "{baselines}", StringComparison.Ordinal));
        FailedEverywhere(verdict, "Micro-benchmarks");
    }

    /// <summary>A failed section shows as failed in the summary, the HTML page and the results file too.</summary>
    internal static void FailedEverywhere(TestVerdict verdict, string section)
    {
        var test = $"{verdict.Test!.Split('.')[^2]}.{verdict.Test.Split('.')[^1]}";
        ResultsWriter.RenderMarkdown([verdict]).Should().Contain($"| ❌ | {test} |").And.Contain($"<summary>❌ {test}: the whole verdict</summary>").And.Contain($"\n{section}\n");
        HtmlReport.Render([new TestResults(verdict.Test, verdict, [])]).Should().Contain($"<span class=\"mark fail\">✘</span> {section}: failed");
        ResultsWriter.Deserialize(ResultsWriter.Serialize(verdict))!.Results.Single(r => r.Title == section).Severity.Should().Be(CheckSeverity.Fail);
    }

    [Fact]
    public async Task A_slowdown_while_the_machine_ran_slower_warns_and_slower_code_on_a_steady_machine_fails()
    {
        await Run(BaselineMode.Update, Result(scale: 1) with { CalibrationMilliseconds = 16, MemoryProbeMilliseconds = 40 });

        var slowerMemory = await Run(BaselineMode.Compare, Result(scale: 1.3) with { CalibrationMilliseconds = 16.3, MemoryProbeMilliseconds = 60 });
        var slowerCode = await Run(BaselineMode.Compare, Result(scale: 1.3) with { CalibrationMilliseconds = 16.2, MemoryProbeMilliseconds = 41 });

        slowerMemory.Passed.Should().BeTrue(slowerMemory.Text);
        var excused = Section(slowerMemory).Items.Single(i => i.Check == "time/op vs baseline");
        (excused.Verdict, excused.Severity).Should().Be(("Inconclusive", CheckSeverity.Warn));
        excused.Reason.Should().EndWith("but the machine ran slower than at the baseline's measurement: memory (probe) +50% (60 ms vs 40 ms), so this slowdown is not evidence against the code. Run the test again on a quieter machine");
        slowerCode.Passed.Should().BeFalse("the probes ran as fast as at the baseline's measurement, so the code is slower");
    }

    [Theory]
    [InlineData(true, false, "dynamic PGO")]
    [InlineData(false, true, "the framework's precompiled (ReadyToRun) code")]
    [InlineData(true, true, "dynamic PGO and the framework's precompiled (ReadyToRun) code")]
    public async Task A_slowdown_measured_where_the_jit_differs_between_processes_warns_but_more_allocations_still_fail(bool dynamicPgo, bool readyToRun, string named)
    {
        await Run(BaselineMode.Update, Result(scale: 1));

        var slower = await Run(BaselineMode.Compare, Result(scale: 1.6) with { DynamicPgo = dynamicPgo, ReadyToRun = readyToRun });
        var allocating = await Run(BaselineMode.Compare, Result(scale: 1.6, allocated: 12_288 + 32) with { DynamicPgo = dynamicPgo, ReadyToRun = readyToRun });

        slower.Passed.Should().BeTrue(slower.Text);
        var excused = Section(slower).Items.Single(i => i.Check == "time/op vs baseline");
        (excused.Verdict, excused.Severity).Should().Be(("Inconclusive", CheckSeverity.Warn));
        excused.Reason.Should().Contain($"; but this process ran with {named}, under which the same code measured up to 60% slower in one process than in the next")
            .And.EndWith("set <TieredPGO>false</TieredPGO> in the test project and run its tests with DOTNET_ReadyToRun=0 in their environment (a .runsettings file's EnvironmentVariables, as tests/Perf.Micro.Tests does), one test at a time.");
        Section(slower).Notes.Should().ContainSingle(n => n.StartsWith($"This process ran with {named}, so the same code compiles differently", StringComparison.Ordinal));
        slower.Text.Should().Contain(readyToRun ? "(ReadyToRun code on)" : "(dynamic PGO on)");
        allocating.Passed.Should().BeFalse("allocations per operation are the same in every process");
    }

    [Fact]
    public async Task A_wider_fail_margin_makes_a_slowdown_within_it_warn_and_one_beyond_it_fail()
    {
        var check = new MicroBenchmarkBudgetAttribute { FailMargin = 1.0 }.Check;
        await Run(BaselineMode.Update, Result(scale: 1), check);

        var slower = await Run(BaselineMode.Compare, Result(scale: 1.6), check);
        var twice = await Run(BaselineMode.Compare, Result(scale: 2.3), check);

        check.Policy.Should().Be(GatePolicy.Default with { FailMargin = 1.0 });
        slower.Passed.Should().BeTrue(slower.Text);
        Section(slower).Items.Single(i => i.Check == "time/op vs baseline").Should().Match<CheckItem>(i => i.Verdict == "Slower" && i.Severity == CheckSeverity.Warn);
        twice.Passed.Should().BeFalse("2.3 times the baseline's time is beyond a 100% margin");
        new MicroBenchmarkBudgetAttribute { FailMargin = 0.05 }.Check.Validate().Should().ContainSingle().Which.Should().StartWith("FailMargin is 0.05; it must be a ratio at least as large as WarnMargin (0.1)");
    }

    [Fact]
    public async Task One_more_allocation_per_operation_fails_however_fast_the_code_still_is()
    {
        await Run(BaselineMode.Update, Result(scale: 1));

        var verdict = await Run(BaselineMode.Compare, Result(scale: 0.9, allocated: 12_288 + 24));

        verdict.Passed.Should().BeFalse();
        var item = Section(verdict).Items.Single(i => i.Check == "allocated/op vs baseline");
        item.Verdict.Should().Be("More");
        item.Reason.Should().Be("allocates 24 B more per operation than the baseline (12 KiB → 12 KiB), beyond the 8 B tolerance: at least one more or bigger allocation");
    }

    [Fact]
    public async Task Budgets_hold_each_benchmark_to_its_limits()
    {
        var check = new MicroBenchmarkCheck { MeanNanoseconds = 900, MedianNanoseconds = 2_000, AllocatedBytesPerOperation = 0, Gen0Per1000Operations = 10, CompareWithBaseline = false };

        var verdict = await Run(BaselineMode.Compare, Result(scale: 1), check);

        verdict.Passed.Should().BeFalse();
        Section(verdict).Items.Select(i => (i.Check, i.Expected, i.Measured, i.Verdict)).Should().Equal(
        [
            ("mean time/op", "<= 900 ns", "1 µs", "over"),
            ("median time/op", "<= 2 µs", "1 µs", "ok"),
            ("allocated/op", "<= 0 B", "12 KiB", "over"),
            ("gen0 per 1,000 ops", "<= 10", "2.9", "ok"),
        ]);
        File.Exists(BaselinePath).Should().BeFalse();
    }

    [Fact]
    public async Task What_cannot_be_judged_says_why()
    {
        var debug = await Run(BaselineMode.Compare, Result(scale: 1) with { Optimized = false });
        var unknown = await Run(BaselineMode.Compare, Result(scale: 1), new MicroBenchmarkCheck { Benchmark = "Shop", MeanNanoseconds = 1 });
        var none = await Run(BaselineMode.Compare, result: null, new MicroBenchmarkCheck());

        Section(debug).Problems.Should().ContainSingle().Which.Should().StartWith("PlanBenchmarks.Plan was measured in a build without optimizations (Debug)");
        Section(unknown).Problems.Should().ContainSingle().Which.Should().Be("No micro-benchmark of the test is named 'Shop' (it ran PlanBenchmarks.Plan). Name one of these in the budget's Benchmark.");
        Section(none).Problems.Should().ContainSingle().Which.Should().StartWith("The test has a micro-benchmark check but ran no micro-benchmark");
        new[] { debug, unknown, none }.Should().OnlyContain(v => !v.Passed);
    }

    [Fact]
    public async Task A_test_of_micro_benchmarks_alone_needs_no_load_run_and_its_received_file_is_described()
    {
        var first = await Run(BaselineMode.Compare, Result(scale: 1));
        first.Passed.Should().BeTrue(first.Text);
        first.Results.Select(r => r.Title).Should().Equal(["Baseline (pr profile, compare mode)", "Micro-benchmarks"]);

        await Run(BaselineMode.Compare, Result(scale: 1.5));

        ReceivedBaseline.Find(_directory).Should().ContainSingle().Which.Changes.Should().Equal(["PlanBenchmarks.Plan: 1 µs → 1.5 µs per operation (+50%)"]);
    }

    [Fact]
    public void Invalid_budgets_are_listed_together_and_the_attribute_states_microseconds()
    {
        new MicroBenchmarkCheck { MeanNanoseconds = 0, AllocatedBytesPerOperation = -1, AllocatedBytesTolerance = double.NaN }.Validate().Should().Equal(
        [
            "The micro-benchmark budget's MeanNanoseconds is 0; it must be greater than zero (or unset for no budget).",
            "The micro-benchmark budget's AllocatedBytesPerOperation is -1; it must be zero or more (or unset for no budget).",
            "The micro-benchmark check's AllocatedBytesTolerance is NaN; it must be between 0 and 1,024 bytes per operation (8 lets no extra allocation through).",
        ]);
        new MicroBenchmarkBudgetAttribute { MeanMicroseconds = 40, AllocatedBytes = 0 }.Check
            .Should().Match<MicroBenchmarkCheck>(c => c.MeanNanoseconds == 40_000 && c.AllocatedBytesPerOperation == 0 && c.MedianNanoseconds == null);
    }

    private string BaselinePath => Path.Combine(_directory, "pr", "micro", TestIdentity.From(Method).FileName + ".json");

    private static CheckResult Section(TestVerdict verdict) => verdict.Results.Single(r => r.Title == "Micro-benchmarks");

    /// <summary>15 iterations around 1 µs × <paramref name="scale"/> (±1%), 12 KiB allocated per operation unless said.</summary>
    private static MicroBenchmarkResult Result(double scale, double allocated = 12_288)
    {
        double[] spread = [0, 4, -3, 7, -6, 2, -1, 5, -4, 3, -2, 6, -5, 1, -7];
        return new MicroBenchmarkResult("PlanBenchmarks.Plan", spread.Select(s => (1_000 + s) * scale).ToArray(), 1_536_000, allocated, 2.9, Optimized: true) { Summary = "| Method | Mean |\n|---|---|\n| Plan | 1 µs |" };
    }

    private async Task<TestVerdict> Run(BaselineMode mode, MicroBenchmarkResult? result, MicroBenchmarkCheck? check = null)
    {
        var settings = new PerfSettings { Mode = mode, BaselineDirectory = _directory, ResultsDirectory = Path.Combine(_directory, "results") };
        using var session = PerfSession.Start(TestIdentity.From(Method), settings);
        if (check is not null)
        {
            session.AddCheck(check);
        }

        if (result is not null)
        {
            ((ILoadRunContext)session).MicroBenchmarkFound(result);
        }

        return await session.FinishAsync(TestContext.Current.CancellationToken);
    }
}
