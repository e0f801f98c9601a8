using System.Runtime.CompilerServices;
using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Reporting;

/// <summary>
/// The generated performance report: targets against measured values, where each scenario's time went and the
/// bottleneck it names, and the comparison with the baseline, from a run's results files alone.
/// </summary>
public sealed class PerformanceReportTests
{
    [Fact]
    public void The_report_of_a_sample_run_reads_as_its_snapshot()
    {
        var results = TestResults.ReadDirectory(Fixture("sample-run"));

        var report = PerformanceReport.Render(results, "MealPlanner performance report");

        Snapshot.Match(report, extension: "md");
    }

    [Fact]
    public void A_broken_budget_shows_as_failed_in_the_targets()
    {
        var failed = Verdicts.BrokenP95Budget();

        var report = PerformanceReport.Render([failed]);

        report.Should().Contain("1 test, 0 passed, 1 failed.").And.Contain("| Plan.Calendar | GET /plan | p95 budget | <= 500 ms | 612 ms | 1,200 requests | ❌ broken |")
            .And.Contain("No test recorded load.").And.Contain("No test was compared with a baseline in this run.");
    }

    [Fact]
    public void Memory_a_test_measured_shows_with_its_growth_per_1000_requests_and_its_leak_check()
    {
        var leak = new CheckResult
        {
            Title = "Leaks",
            Severity = CheckSeverity.Fail,
            Items = [new CheckItem { Severity = CheckSeverity.Fail, Subject = "s", Check = "heap trend", Expected = "< 1 MiB/min", Measured = "+9.91 MiB/min (95% +9.45 MiB..+10.37 MiB)", Evidence = "10 samples over 45 s", Verdict = "leak" }],
        };
        var results = new TestResults("MemoryTests.Browsing", new TestVerdict { Test = "Perf.MemoryTests.Browsing", Results = [leak] }, [new ScenarioTrials("s", [Reports.WithMemory(requests: 2_000, growth: 30L * 1024 * 1024)])]);

        var report = PerformanceReport.Render([results]);

        report.Should().Contain("## Memory\n")
            .And.Contain("| MemoryTests.Browsing | s | 2,000 | 40 MiB | 70 MiB | 30 MiB | 15 MiB | 200 MiB |")
            .And.Contain("| MemoryTests.Browsing | s | heap trend | < 1 MiB/min | +9.91 MiB/min (95% +9.45 MiB..+10.37 MiB) | 10 samples over 45 s | ❌ leak |");
    }

    [Theory]
    [InlineData(0.95, 0, 0.01, 2.0, 1.0, "CPU, machine saturated")]
    [InlineData(0.5, 40, 0.01, 2.0, 1.0, "thread-pool starvation")]
    [InlineData(0.5, 0, 0.08, 2.0, 1.0, "garbage collection")]
    [InlineData(0.5, 0, 0.01, 6.0, 1.0, "the database")]
    [InlineData(0.5, 0, 0.01, 1.0, 6.0, "CPU in the app")]
    [InlineData(0.5, 0, 0.01, 1.0, 1.0, "none stands out")]
    public void The_bottleneck_is_the_signal_that_explains_the_time(double machineCpu, double queue, double gcShare, double databaseMs, double cpuMs, string expected)
    {
        var signals = new PerformanceReport.Signals(MeanMilliseconds: 10, CpuMilliseconds: cpuMs, DatabaseMilliseconds: databaseMs, DatabaseOperations: 2, WaitMilliseconds: 0.1, GcShare: gcShare, AllocatedBytesPerRequest: 100_000, QueueAverage: queue, QueueMax: (long)queue * 2, ProcessCpu: 0.4, MachineCpu: machineCpu);

        PerformanceReport.Bottleneck(signals).Name.Should().Be(expected);
    }

    [Fact]
    public void Requests_waiting_for_a_pooled_connection_name_the_pool()
    {
        var signals = new PerformanceReport.Signals(10, 1, 6, 2, 0.1, 0.01, 1_000, 0, 0, 0.3, 0.6) { PoolWaiting = (12.4, 30) };

        var (name, evidence) = PerformanceReport.Bottleneck(signals);

        name.Should().Be("connection-pool waits", "waiting for a connection is counted as database time, so it is named before the database");
        evidence.Should().StartWith("On average 12.4 requests waited for a database connection (at most 30): the pool is exhausted.");
        PerformanceReport.Bottleneck(signals with { PoolWaiting = (0.2, 1) }).Name.Should().Be("the database");
    }

    [Fact]
    public void Waiting_for_a_core_is_named_when_it_takes_a_third_of_the_time()
    {
        var signals = new PerformanceReport.Signals(10, 1, 1, 1, 4, 0.01, 1_000, 0, 0, 0.3, 0.6);

        var (name, evidence) = PerformanceReport.Bottleneck(signals);

        name.Should().Be("waiting for a core");
        evidence.Should().Be("This process's threads waited 4 ms per request for a core, against a mean latency of 10 ms: the machine is shared or too small for the load.");
    }

    private static string Fixture(string name, [CallerFilePath] string file = "") => Path.Combine(Path.GetDirectoryName(file)!, "Fixtures", name);
}
