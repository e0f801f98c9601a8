using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Output;

/// <summary>
/// A mix aborted by an abort-on-fail budget, with budgets scoped to tags and a group, fails the same way in every
/// output: the verdict text, the results JSON, summary.md and the HTML report. Rendered under a culture with a decimal
/// comma, so any culture-dependent number would show.
/// </summary>
public sealed class MixedVerdictOutputTests
{
    private static readonly LoadAbort Abort = new("payment", TimeSpan.FromSeconds(6), TimeSpan.FromMinutes(1), "error rate budget on {kind:payment} broken (5% against <= 1% over the first 6 s, 100 requests), and it is abort-on-fail");

    private static TestVerdict Verdict()
    {
        var search = Mixed("search", "payment", Reports.Labelled(Reports.Route("GET /search", Reports.Uniform(400, 0.5)), "search", null, ("kind", "read")));
        var payment = Mixed("payment", "search", Reports.Labelled(Reports.Route("POST /pay", Reports.Uniform(100, 40), errors: 5), "payment", "checkout", ("kind", "payment")));
        var budgets = BudgetEvaluation.Evaluate(
            [search, payment],
            [Budget.ErrorRate(0.01).ForTag("kind:payment").AbortingOnFail(), Budget.P95(3000).ForGroup("checkout"), Budget.P95(500).ForTag("kind:read")]);
        return Verdicts.Of("CheckoutTests.Search_while_paying", [search, payment], budgets.ToCheckResult());
    }

    [Fact]
    public void An_aborted_mix_with_scoped_budgets_fails_in_every_output()
    {
        using var culture = new CultureScope("de-DE");
        var verdict = Verdict();

        verdict.Passed.Should().BeFalse();
        verdict.Text.Should().Contain($"The run was {Abort}.");
        var json = ResultsWriter.Serialize(verdict);
        ResultsWriter.Deserialize(json)!.Passed.Should().BeFalse();
        var markdown = ResultsWriter.RenderMarkdown([verdict]);
        markdown.Should().Contain("| ❌ | CheckoutTests.Search_while_paying |");
        var html = HtmlReport.Render([new TestResults(verdict.Test!, verdict, [])]);
        html.Should().Contain("1 test, 0 passed, 1 failed.");

        Snapshot.Match(verdict.Text, "text");
        Snapshot.Match(json, "results", "json");
        Snapshot.Match(markdown, "summary", "md");
        Snapshot.Match(html[..html.IndexOf("<script type=\"application/json\"", StringComparison.Ordinal)], "report", "html");
    }

    private static LoadReport Mixed(string scenario, string other, params RouteStatistics[] routes)
        => new(scenario, "in-memory TestServer", "closed: 10 users for 1 min", false, 10, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(6), routes.Max(r => r.Count), 0, 0, 0, routes, [], null, [])
        {
            Aborted = Abort,
            RanWith = [other],
        };
}
