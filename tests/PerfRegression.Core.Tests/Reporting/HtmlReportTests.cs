using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Reporting;

/// <summary>
/// The HTML report: one self-contained page per run, a section per test with its checks, routes, trials and charts.
/// What it looks like in a browser is checked in PerfRegression.Report.Tests (headless Chromium); here, its text.
/// </summary>
public sealed partial class HtmlReportTests
{
    [Fact]
    public void The_report_of_a_pull_request_run_reads_as_its_snapshot()
    {
        var html = Render("pr-run", baselines: "pr-run-baselines");

        // The embedded chart library is checked on its own below; the snapshot is the report's own markup and data.
        Snapshot.Match(EmbeddedLibrary().Replace(html, "<script>[uPlot and its licence]</script>"), extension: "html");
    }

    [Fact]
    public void The_page_needs_no_network_and_carries_the_chart_library_with_its_licence()
    {
        var html = Render("pr-run", baselines: "pr-run-baselines");

        html.Should().NotContainAny("<script src", "<link ", "@import", "url(http");
        html.Should().Contain("/*! https://github.com/leeoniya/uPlot (v1.6.32) */").And.Contain("The MIT License (MIT)").And.Contain("Copyright (c) 2022 Leon Sorokin");
    }

    [Fact]
    public void Every_scenario_gets_its_charts_and_the_baseline_is_overlaid_where_there_is_one()
    {
        var charts = Charts(Render("pr-run", baselines: "pr-run-baselines"));

        var shopping = charts.Where(c => c.GetProperty("id").GetString()!.StartsWith("t5s1-", StringComparison.Ordinal)).ToArray();
        shopping.Select(c => c.GetProperty("kind").GetString()).Should().Equal("percentiles", "trials", "trials", "time", "time", "time");
        Labels(shopping[0]).Should().Equal("shopping-list", "shopping-list (baseline)");
        Labels(shopping[1]).Should().Equal("shopping-list", "shopping-list (baseline)");
        Labels(shopping[2]).Should().Equal("CPU per request", "CPU per request (baseline)");
        Labels(shopping[5]).Should().Equal("p50", "p95", "p99", "max", "errors");

        // The database test has no baseline: its charts show the run alone.
        var database = charts.Where(c => c.GetProperty("id").GetString()!.StartsWith("t6s", StringComparison.Ordinal)).ToArray();
        database.Should().NotBeEmpty();
        database.SelectMany(Labels).Should().NotContain(l => l.Contains("baseline", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_baselines_folder_the_report_shows_the_run_alone()
    {
        var html = Render("pr-run", baselines: null);

        Charts(html).SelectMany(Labels).Should().NotContain(l => l.Contains("baseline", StringComparison.Ordinal));
        html.Should().Contain("no baseline to overlay");
    }

    [Fact]
    public void A_broken_budget_shows_as_failed_in_the_overview_the_section_and_the_row()
    {
        var failed = Verdicts.BrokenP95Budget();

        var html = HtmlReport.Render([failed]);

        html.Should().Contain("1 test, 0 passed, 1 failed.")
            .And.Contain("<td><span class=\"mark fail\">✘</span></td><td><a href=\"#t1\">Plan.Calendar</a></td><td>failed</td>")
            .And.Contain("<section class=\"test fail\" id=\"t1\"")
            .And.Contain("<h3><span class=\"mark fail\">✘</span> Budgets: failed</h3>")
            .And.Contain("<tr class=\"fail\" data-subject=\"GET /plan\" data-item=\"p95 budget\"><td><span class=\"mark fail\">✘</span></td><td>GET /plan</td><td>p95 budget</td><td>&lt;= 500 ms</td><td class=\"measured\">612 ms</td>");
        html.Should().NotContain("mark pass");
    }

    [Fact]
    public void Names_and_texts_cannot_break_the_page()
    {
        var hostile = new TestResults("X.Y", new TestVerdict
        {
            Test = "X.<script>alert(1)</script>",
            Results = [new CheckResult { Title = "</script><b>", Severity = CheckSeverity.Pass, Notes = ["a & b < c"] }],
        }, []);

        var html = HtmlReport.Render([hostile], title: "<i>title</i>");

        html.Should().NotContain("<script>alert(1)").And.NotContain("</script><b>").And.NotContain("<i>title</i>")
            .And.Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.Contain("a &amp; b &lt; c");
    }

    [Fact]
    public void Write_puts_the_report_beside_the_results_it_was_made_from()
    {
        var folder = Directory.CreateTempSubdirectory("perf-html-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "tests"));
            foreach (var file in Directory.GetFiles(Path.Combine(Fixture("pr-run"), "tests")))
            {
                File.Copy(file, Path.Combine(folder.FullName, "tests", Path.GetFileName(file)));
            }

            var path = HtmlReport.Write(folder.FullName, "Pull request run", Fixture("pr-run-baselines"));

            path.Should().Be(Path.Combine(folder.FullName, "report.html"));
            File.ReadAllText(path).Should().StartWith("<!DOCTYPE html>").And.Contain("<title>Pull request run</title>").And.Contain("7 tests, 7 passed, 0 failed.");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Render(string fixture, string? baselines)
        => HtmlReport.Render(TestResults.ReadDirectory(Fixture(fixture)), "MealPlanner pull-request run", baselines is null ? null : Fixture(baselines));

    private static JsonElement[] Charts(string html)
    {
        var json = ChartData().Match(html).Groups[1].Value;
        return JsonDocument.Parse(json).RootElement.GetProperty("charts").EnumerateArray().ToArray();
    }

    private static string[] Labels(JsonElement chart) => chart.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("label").GetString()!).ToArray();

    [GeneratedRegex("<script>\\n/\\* uPlot, .*?</script>", RegexOptions.Singleline)]
    private static partial Regex EmbeddedLibrary();

    [GeneratedRegex("<script type=\"application/json\" id=\"perf-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ChartData();

    private static string Fixture(string name, [CallerFilePath] string file = "") => Path.Combine(Path.GetDirectoryName(file)!, "Fixtures", name);
}
