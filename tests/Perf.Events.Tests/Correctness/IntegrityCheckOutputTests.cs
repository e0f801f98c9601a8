using System.Text.Json;
using Perf.Events.Tests.Functional;
using PerfRegression;
using PerfRegression.Checks;
using PerfRegression.Session;

namespace Perf.Events.Tests.Correctness;

/// <summary>
/// A broken invariant fails its test in every output a session writes: the verdict text (its section exact), the
/// results JSON, summary.md and the HTML report. The run is a real one, a few requests to the app, so the outputs are
/// the ones a test gets.
/// </summary>
public sealed class IntegrityCheckOutputTests(FunctionalApp app) : IClassFixture<FunctionalApp>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "perf-integrity-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_broken_invariant_fails_the_test_in_the_verdict_the_results_json_the_summary_and_the_html_report()
    {
        var results = Path.Combine(_directory, "results");
        var settings = new PerfSettings { ResultsDirectory = results, BaselineDirectory = Path.Combine(_directory, "baselines") };
        IReadOnlyList<Invariant> invariants =
        [
            new("event 1", "RSVPs stored ≤ capacity", "≤ 400", "412", false, "12 more RSVPs than seats were stored: the event is overbooked"),
            Invariant.Equal("event 1", "seat count = RSVPs stored", 412, 412, "unused"),
        ];
        using (var session = PerfSession.Start(TestIdentity.From(typeof(IntegrityCheckOutputTests).GetMethod(nameof(A_broken_invariant_fails_the_test_in_the_verdict_the_results_json_the_summary_and_the_html_report))!), settings))
        {
            session.ConfigureGate(enabled: false);
            session.AddCheck(new IntegrityCheck(_ => Task.FromResult(invariants), "Take the seat in the database."));
            await Load.RunAsync(app.Target, "GET /health", LoadProfile.Iterations(1, 3), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);
            var verdict = await session.FinishAsync(Cancel);

            verdict.Passed.Should().BeFalse();
            verdict.Headline.Should().Contain("1 invariant broken");
            Section(verdict.Text, IntegrityCheck.Title).Should().Be("""
                Correctness
                  subject  invariant                  expected  measured  verdict
                  event 1  RSVPs stored ≤ capacity       ≤ 400       412  BROKEN
                  event 1  seat count = RSVPs stored       412       412  ok
                  event 1: 12 more RSVPs than seats were stored: the event is overbooked
                """.ReplaceLineEndings("\n"));
        }

        var test = "IntegrityCheckOutputTests.A_broken_invariant_fails_the_test_in_the_verdict_the_results_json_the_summary_and_the_html_report";
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(results, "tests"), "*.json").Single(), Cancel));
        var section = json.RootElement.GetProperty("verdict").GetProperty("results").EnumerateArray().Single(r => r.GetProperty("title").GetString() == IntegrityCheck.Title);
        section.GetProperty("severity").GetString().Should().Be("fail");
        json.RootElement.GetProperty("verdict").GetProperty("passed").GetBoolean().Should().BeFalse();

        var summary = await File.ReadAllTextAsync(Path.Combine(results, "summary.md"), Cancel);
        summary.Should().Contain($"| ❌ | {test} | event 1 | RSVPs stored ≤ capacity | ≤ 400 | 412 |").And.Contain($"<summary>❌ {test}: the whole verdict</summary>");

        var html = await File.ReadAllTextAsync(Path.Combine(results, "report.html"), Cancel);
        html.Should().Contain("<span class=\"mark fail\">✘</span> Correctness: failed");
    }

    /// <summary>The verdict text's section titled <paramref name="title"/>, up to the blank line that ends it.</summary>
    private static string Section(string text, string title)
    {
        var start = text.IndexOf("\n" + title + "\n", StringComparison.Ordinal) + 1;
        start.Should().BePositive($"the verdict has a '{title}' section: {text}");
        var end = text.IndexOf("\n\n", start, StringComparison.Ordinal);
        return text[start..(end < 0 ? text.Length : end)];
    }
}
