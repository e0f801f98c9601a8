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
}
