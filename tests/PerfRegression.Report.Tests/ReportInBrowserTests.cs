using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace PerfRegression.Report.Tests;

/// <summary>
/// The HTML report of a real pull-request run of the sample, opened in headless Chromium: it loads without a
/// console error, every chart draws its data points (read back from the canvas's pixels), and every number in its
/// tables is the one the results files hold (read here with a JSON parser, not with the library). A screenshot of
/// one test's section is kept in <c>artifacts/report/</c> with the page, for a reader of the CI run.
/// </summary>
public sealed class ReportInBrowserTests
{
    private const string ScreenshotTest = "RouteBudgetTests.Shopping_list_across_weeks";

    [Fact]
    public async Task The_report_opens_without_errors_draws_every_chart_and_its_tables_hold_the_results()
    {
        var chromium = Chromium.Find();
        var results = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pr-run");
        var artifacts = Directory.CreateDirectory(Path.Combine(RepositoryRoot(), "artifacts", "report")).FullName;
        var page = Path.Combine(artifacts, "report.html");
        File.WriteAllText(page, HtmlReport.Render(TestResults.ReadDirectory(results), "MealPlanner pull-request run", Path.Combine(AppContext.BaseDirectory, "Fixtures", "pr-run-baselines")));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        var tab = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var errors = new List<string>();
        tab.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        tab.PageError += (_, error) => errors.Add(error);
        await tab.GotoAsync(new Uri(page).AbsoluteUri);
        await tab.WaitForFunctionAsync("() => document.body.dataset.chartsDrawn !== undefined", null, new PageWaitForFunctionOptions { Timeout = 30_000 });

        errors.Should().BeEmpty("the page must load and draw without a script error");
        var figures = await tab.Locator("figure.chart").CountAsync();
        figures.Should().BeGreaterThan(7 * 4, "every scenario of the 7 tests has its distribution, trials, throughput, runtime and per-route charts");
        (await tab.GetAttributeAsync("body", "data-charts-drawn")).Should().Be(figures.ToString(CultureInfo.InvariantCulture));
        var inked = (await tab.EvaluateAsync<JsonElement>(InkedPointsScript)).EnumerateArray().Select(c => (Id: c.GetProperty("id").GetString(), Inked: c.GetProperty("inked").GetInt32())).ToArray();
        inked.Should().HaveCount(figures);
        inked.Where(c => c.Inked == 0).Select(c => c.Id).Should().BeEmpty("every chart draws points where its data says (a series's colour at its first value)");

        var shown = await tab.EvaluateAsync<JsonElement>(TablesScript);
        foreach (var file in Directory.GetFiles(Path.Combine(results, "tests"), "*.json"))
        {
            TablesHoldTheResults(shown, JsonDocument.Parse(File.ReadAllText(file)).RootElement);
        }

        var screenshot = Path.Combine(artifacts, "report-section.png");
        await tab.Locator($"section[data-test='{ScreenshotTest}']").ScreenshotAsync(new LocatorScreenshotOptions { Path = screenshot });
        new FileInfo(screenshot).Length.Should().BeGreaterThan(20_000, "the section's screenshot shows its tables and charts");
    }

    /// <summary>One test's section against its results file: the overview's totals, every check item, every route and trial.</summary>
    private static void TablesHoldTheResults(JsonElement shown, JsonElement file)
    {
        var verdict = file.GetProperty("verdict");
        var test = verdict.GetProperty("test").GetString()!;
        var section = shown.EnumerateArray().Single(s => s.GetProperty("test").GetString() == test);
        var reports = file.TryGetProperty("trials", out var trials)
            ? trials.EnumerateArray().Select(s => (Scenario: s.GetProperty("scenario").GetString()!, Reports: s.GetProperty("reports").EnumerateArray().ToArray())).ToArray()
            : [];

        section.GetProperty("requests").GetString().Should().Be(Sum(reports.SelectMany(s => s.Reports), r => r.GetProperty("overall").GetProperty("count").GetInt64()), test);
        section.GetProperty("errors").GetString().Should().Be(Sum(reports.SelectMany(s => s.Reports), r => r.GetProperty("overall").GetProperty("errors").GetInt64()), test);

        var items = verdict.GetProperty("results").EnumerateArray().SelectMany(r => r.GetProperty("items").EnumerateArray()
            .Select(i => $"{r.GetProperty("title").GetString()} | {i.GetProperty("subject").GetString()} | {i.GetProperty("check").GetString()} | {i.GetProperty("expected").GetString()} | {i.GetProperty("measured").GetString()} | {i.GetProperty("verdict").GetString()}")).ToArray();
        section.GetProperty("items").EnumerateArray().Select(i => i.GetString()).Should().Equal(items, $"{test}: the check items are the verdict's");

        foreach (var (scenario, scenarioReports) in reports)
        {
            var table = section.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("name").GetString() == scenario);
            var routes = scenarioReports.SelectMany(r => r.GetProperty("routes").EnumerateArray()).GroupBy(r => r.GetProperty("name").GetString()!);
            foreach (var route in routes)
            {
                var row = table.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("route").GetString() == route.Key);
                row.GetProperty("count").GetString().Should().Be(Sum(route, r => r.GetProperty("count").GetInt64()), $"{test} {route.Key}");
                row.GetProperty("errors").GetString().Should().Be(Sum(route, r => r.GetProperty("errors").GetInt64()), $"{test} {route.Key}");
            }

            var trialRows = table.GetProperty("trials").EnumerateArray().ToArray();
            trialRows.Should().HaveCount(scenarioReports.Count(r => r.GetProperty("overall").GetProperty("count").GetInt64() > 0));
            for (var i = 0; i < trialRows.Length; i++)
            {
                var overall = scenarioReports[i].GetProperty("overall");
                trialRows[i].GetProperty("count").GetString().Should().Be(overall.GetProperty("count").GetInt64().ToString(CultureInfo.InvariantCulture));
                double.Parse(trialRows[i].GetProperty("p95").GetString()!, CultureInfo.InvariantCulture)
                    .Should().BeApproximately(overall.GetProperty("latency").GetProperty("p95").GetDouble(), 1e-9, $"{test} trial {i + 1} p95");
            }
        }
    }

    private static string Sum(IEnumerable<JsonElement> elements, Func<JsonElement, long> read) => elements.Sum(read).ToString(CultureInfo.InvariantCulture);

    /// <summary>Per chart, how many of its series have their colour on the canvas at their first value's position.</summary>
    private const string InkedPointsScript = """
        () => window.perfCharts.map(u => {
          const rgb = hex => [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
          let inked = 0;
          for (let s = 1; s < u.series.length; s++) {
            const ys = u.data[s], xs = u.data[0];
            const j = ys.findIndex(v => v !== null && isFinite(v));
            if (j < 0 || typeof u.series[s].stroke !== 'function') continue;
            const colour = rgb(u.series[s].stroke(u, s));
            const cx = Math.round(u.valToPos(xs[j], 'x', true)), cy = Math.round(u.valToPos(ys[j], u.series[s].scale, true));
            const pixels = u.ctx.getImageData(cx - 4, cy - 4, 9, 9).data;
            for (let p = 0; p < pixels.length; p += 4) {
              if (pixels[p + 3] > 0 && Math.abs(pixels[p] - colour[0]) < 60 && Math.abs(pixels[p + 1] - colour[1]) < 60 && Math.abs(pixels[p + 2] - colour[2]) < 60) { inked++; break; }
            }
          }
          return { id: u.root.parentElement.id, inked };
        })
        """;

    /// <summary>What the page's tables show, as data: per test section its totals, check items, routes and trials.</summary>
    private const string TablesScript = """
        () => [...document.querySelectorAll('section.test')].map(section => {
          const overview = document.querySelector(`table.overview tr[data-test="${CSS.escape(section.dataset.test)}"]`);
          const value = (row, stat) => row.querySelector(`td[data-stat="${stat}"]`).dataset.value;
          return {
            test: section.dataset.test,
            requests: value(overview, 'requests'),
            errors: value(overview, 'errors'),
            items: [...section.querySelectorAll('div.check table.items tbody tr')].map(row => {
              const cells = [...row.cells].map(c => c.childNodes[0] ? c.childNodes[0].textContent : '');
              return [row.closest('div.check').dataset.check, cells[1], cells[2], cells[3], cells[4], cells[6]].join(' | ');
            }),
            scenarios: [...section.querySelectorAll('div.scenario')].map(scenario => ({
              name: scenario.dataset.scenario,
              routes: [...scenario.querySelectorAll('table.routes tr[data-route]')].map(row => ({ route: row.dataset.route, count: value(row, 'count'), errors: value(row, 'errors') })),
              trials: [...scenario.querySelectorAll('table.trials tr[data-trial]')].map(row => ({ count: value(row, 'count'), p95: value(row, 'p95') })),
            })),
          };
        })
        """;

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PerfRegression.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No PerfRegression.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
