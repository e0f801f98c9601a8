using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Output;

/// <summary>
/// Every output of a verdict renders every check the same way: a check that failed shows as failed in the verdict
/// text, the results JSON and summary.md, whichever check it is. Snapshots, rendered under a culture with a decimal
/// comma, so any culture-dependent number would show.
/// </summary>
public sealed class VerdictOutputTests
{
    [Fact]
    public void Budgets_gate_and_database_sections_read_as_one_verdict()
    {
        using var culture = new CultureScope("de-DE");
        var verdict = Verdicts.Of("PlanTests.Calendar", [Verdicts.Calendar, Verdicts.Shopping], Verdicts.Budgets(broken: true), Verdicts.Gate(Verdict.Slower), Verdicts.Database());

        verdict.Passed.Should().BeFalse();
        Snapshot.Match(verdict.Text);
    }

    [Fact]
    public void A_verdict_that_fails_only_on_its_database_checks_says_so_first()
    {
        var verdict = Verdicts.Of("ShoppingTests.Naive", [Verdicts.Shopping], Verdicts.Budgets(broken: false, Verdicts.Shopping), Verdicts.Database());

        verdict.Passed.Should().BeFalse();
        verdict.Headline.Should().Be("Performance check failed for ShoppingTests.Naive (scenario 'shopping'): 2 database findings.");
        verdict.Text.Should().Contain("\nBudgets\n").And.Contain("\nDatabase\n").And.Contain("- N+1: naive-shopping:");
    }

    [Fact]
    public void Summary_shows_every_check_of_every_test_and_the_whole_verdict_of_each_failed_one()
    {
        using var culture = new CultureScope("de-DE");
        TestVerdict[] verdicts =
        [
            Verdicts.Of("PlanTests.Calendar", [Verdicts.Calendar], Verdicts.Budgets(broken: false), Verdicts.Gate(Verdict.Same)),
            Verdicts.Of("PlanTests.Noisy", [Verdicts.Calendar], Verdicts.Budgets(broken: false), Verdicts.Gate(Verdict.Inconclusive)),
            Verdicts.Of("ShoppingTests.Naive", [Verdicts.Shopping], Verdicts.Budgets(broken: false, Verdicts.Shopping), Verdicts.Database()),
            Verdicts.Of("ShoppingTests.NoBaseline", [Verdicts.Shopping], new CheckResult
            {
                Title = "Baseline (pr profile, strict mode)",
                Severity = CheckSeverity.Pass,
                Problems = ["Scenario 'shopping' has no baseline in /repo/baselines/pr/ShoppingTests.NoBaseline.json, and strict mode (PERF_BASELINE=strict, as in CI) does not record one."],
            }),
        ];

        var markdown = ResultsWriter.RenderMarkdown(verdicts);

        markdown.Should().Contain("| ❌ | ShoppingTests.Naive | naive-shopping | N+1 |", "a test failing only on its database checks shows failed in the summary");
        markdown.Should().Contain("| ❌ | ShoppingTests.NoBaseline | | Baseline (pr profile, strict mode) |", "a check that could not be made has a failed row even without items");
        Snapshot.Match(markdown);
    }

    [Fact]
    public void Results_json_keeps_every_check_with_its_section_and_reads_back_to_the_same_verdict()
    {
        using var culture = new CultureScope("de-DE");
        var verdict = Verdicts.Of("ShoppingTests.Naive", [Verdicts.Shopping], Verdicts.Budgets(broken: false, Verdicts.Shopping), Verdicts.Database());

        var json = ResultsWriter.Serialize(verdict);
        var read = ResultsWriter.Deserialize(json)!;

        read.Passed.Should().BeFalse();
        read.Results.Select(r => (r.Title, r.Severity)).Should().Equal(("Budgets", CheckSeverity.Pass), ("Database", CheckSeverity.Fail));
        read.Text.Should().Be(verdict.Text, "the summary renders a failed test's verdict from its results file");
        Snapshot.Match(json, extension: "json");
    }

    [Fact]
    public void A_results_file_of_another_version_is_left_out_of_the_summary_and_counted()
    {
        ResultsWriter.Deserialize("""{ "test": "Old.Format", "passed": true }""").Should().BeNull();
        ResultsWriter.Deserialize("not json").Should().BeNull();

        ResultsWriter.RenderMarkdown([], skipped: 1).Should().Contain("- ℹ️ 1 results file of another version of PerfRegression (or not a results file) in tests/ were left out.");
    }

    [Fact]
    public void A_check_with_a_problem_fails_whatever_severity_it_states()
    {
        var result = new CheckResult { Title = "Custom", Severity = CheckSeverity.Pass, Problems = ["It could not see."] };

        result.Severity.Should().Be(CheckSeverity.Fail, "a check that could not be made never passes");
        TestVerdict.Of([], [result], "T.M").Passed.Should().BeFalse();
    }
}
