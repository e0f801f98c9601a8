using PerfRegression.Measurement;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Reporting;

public sealed class LoadReportTests
{
    private static LoadReport Sample() => Reports.Report(
        "plan-calendar",
        ["CPU saturated: example warning."],
        Reports.Route("GET /plan", Reports.Uniform(1000, 0.5), errors: 3),
        Reports.Route("GET /shopping", Reports.Uniform(400, 1.5)));

    [Fact]
    public void Json_round_trips_every_statistic_and_histogram()
    {
        var original = Sample();
        var json = original.ToJson();
        var copy = LoadReport.FromJson(json);

        copy.ToJson().Should().Be(json, "serialisation is stable");
        copy.Scenario.Should().Be("plan-calendar");
        copy.Route("GET /plan").Latency.P95.Should().Be(original.Route("GET /plan").Latency.P95);
        copy.Route("GET /plan").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["HTTP 500"] = 3 });
        copy.Overall.Count.Should().Be(1400);
        copy.Warnings.Should().Equal("CPU saturated: example warning.");
    }

    [Fact]
    public void Json_is_invariant_whatever_the_culture()
    {
        var invariant = Sample().ToJson();
        using (new CultureScope("de-DE"))
        {
            Sample().ToJson().Should().Be(invariant);
        }

        invariant.Should().Contain("\"schemaVersion\": 1").And.Contain("\"p95\": 475");
    }

    [Fact]
    public void Unknown_schema_version_is_rejected_with_the_fix()
    {
        var json = Sample().ToJson().Replace("\"schemaVersion\": 1", "\"schemaVersion\": 99", StringComparison.Ordinal);
        var act = () => LoadReport.FromJson(json);
        act.Should().Throw<FormatException>().WithMessage("The load report has schema version 99, but this version of PerfRegression reads version 1. Record it again with this version, or upgrade PerfRegression.");
    }

    [Fact]
    public void Corrupt_json_is_rejected_as_not_a_report()
    {
        var act = () => LoadReport.FromJson("{ \"schemaVersion\": 1, \"routes\": [ { \"name\": \"x\" } ] }");
        act.Should().Throw<FormatException>().WithMessage("Route 'x' has no latency histogram.");

        var truncated = () => LoadReport.FromJson("{ \"schemaVersion\": ");
        truncated.Should().Throw<FormatException>().WithMessage("The text is not a load report:*");
    }

    [Fact]
    public void Merging_runs_adds_histograms_and_counts_exactly()
    {
        var first = Reports.Report("s", Reports.Route("a", Reports.Uniform(100), errors: 1));
        var second = Reports.Report("s", Reports.Route("a", Reports.Uniform(300, 2)), Reports.Route("b", [5, 6]));

        var merged = LoadReport.Merge(first, second);

        merged.Runs.Should().Be(2);
        merged.Duration.Should().Be(TimeSpan.FromSeconds(20));
        merged.Route("a").Count.Should().Be(400);
        merged.Route("a").Errors.Should().Be(1);
        merged.Route("a").Latency.Encode().Should().Be(Reports.Distribution(Reports.Uniform(100).Concat(Reports.Uniform(300, 2))).Encode());
        merged.Route("a").Throughput.Should().Be(20, "400 requests over 20 s of measurement");
        merged.Route("b").Count.Should().Be(2);
    }

    [Fact]
    public void Merging_different_scenarios_is_refused()
    {
        var act = () => LoadReport.Merge(Reports.Report("a", Reports.Route("x", [1])), Reports.Report("b", Reports.Route("x", [1])));
        act.Should().Throw<ArgumentException>().WithMessage("Only reports of one scenario can be merged, but these are of 'a', 'b'. Merge each scenario's reports separately.*");
    }

    [Fact]
    public void Asking_for_an_unknown_route_lists_the_recorded_ones()
    {
        var act = () => Sample().Route("GET /plans");
        act.Should().Throw<KeyNotFoundException>().WithMessage("Scenario 'plan-calendar' recorded no route named 'GET /plans'. Recorded routes: 'GET /plan', 'GET /shopping'. Use one of these names (they are the scenario's step names).");
    }

    [Fact]
    public void Summary_table_reads_well_and_is_culture_invariant()
    {
        var summary = Sample().ToSummary();
        using (new CultureScope("fr-FR"))
        {
            Sample().ToSummary().Should().Be(summary);
        }

        Snapshot.Match(summary);
    }

    [Fact]
    public void Machine_cpu_is_parsed_from_proc_stat()
    {
        MachineCpu.Parse("cpu  100 5 50 800 45 0 0 0 0 0").Should().Be((155L, 1000L));
        MachineCpu.Parse("intr 1 2 3").Should().BeNull();
        MachineCpu.Between((100, 1000), (190, 1100)).Should().BeApproximately(0.9, 1e-9);
    }

    [Fact]
    public void Cpu_held_by_other_processes_is_not_mistaken_for_starvation()
    {
        var busyMachine = Health(cpu: 0.45, machine: 0.97, queue: 40);
        busyMachine.Warnings().Should().ContainSingle().Which.Should().StartWith("CPU taken by other processes: the machine was 97% busy while this process used 45% of 2 cores.");

        Health(cpu: 0.95, machine: 0.97, queue: 40).Warnings().Should().ContainSingle().Which.Should().StartWith("CPU saturated: this process used 95% of 2 cores");
        Health(cpu: 0.3, machine: 0.35, queue: 40).Warnings().Should().ContainSingle().Which.Should().StartWith("Thread-pool starvation: 40 work items waited on average");
        Health(cpu: 0.3, machine: 0.35, queue: 2).Warnings().Should().BeEmpty();
    }

    [Fact]
    public void A_saturated_machine_gets_database_advice_only_when_the_database_used_the_cpu()
    {
        var idleDatabase = Health(cpu: 0.85, machine: 0.93, queue: 0) with { ServerProcessesCpuAverage = 0 };
        var busyDatabase = Health(cpu: 0.6, machine: 0.93, queue: 0) with { ServerProcessesCpuAverage = 0.3 };

        idleDatabase.Warnings().Should().ContainSingle().Which.Should().Be(
            "CPU saturated: the machine was 93% busy, this process using 85% of 2 cores and the system's server processes only 0%. "
            + "Load generator and in-process server compete for CPU, so latencies include waiting for a core. "
            + "Lower the load, or target a server in another process (LoadTarget.Kestrel / PERF_BASE_URL).");
        busyDatabase.Warnings().Should().ContainSingle().Which.Should().Contain("(e.g. its database) 30% of 2 cores").And.Contain("give the database a machine of its own");
    }

    [Fact]
    public void Merged_trials_recompute_runtime_warnings_from_the_combined_health()
    {
        var first = WithRuntime(Health(cpu: 0.95, machine: 0.95, queue: 0));
        var second = WithRuntime(Health(cpu: 0.91, machine: 0.95, queue: 0));

        var merged = LoadReport.Merge(first, second);

        merged.Warnings.Should().ContainSingle().Which.Should().StartWith("CPU saturated: this process used 93% of 2 cores");
    }

    private static RuntimeHealth Health(double cpu, double machine, double queue) => new(
        Samples: 20, CpuCores: 2, CpuAverage: cpu, CpuMax: cpu, Gen0Collections: 0, Gen1Collections: 0, Gen2Collections: 0,
        GcPause: TimeSpan.Zero, AllocatedBytes: 0, ThreadPoolQueueMax: (long)queue, ThreadPoolQueueAverage: queue,
        ThreadPoolThreadsAtStart: 4, ThreadPoolThreadsMax: 4, Stalls: [], MeasuredDuration: TimeSpan.FromSeconds(5), OpenModel: false, MachineCpuAverage: machine);

    private static LoadReport WithRuntime(RuntimeHealth runtime) => new(
        "s", "t", "p", false, 1, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(5), 1, 0, 0, 0,
        [Reports.Route("a", [1])], [], runtime, runtime.Warnings());
}
