using System.Runtime.CompilerServices;
using PerfRegression.Checks;
using PerfRegression.PostgreSql;
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
    public void The_console_gets_a_failed_verdict_with_its_commands_pointed_at_and_a_passed_one_in_one_line()
    {
        using var culture = new CultureScope("de-DE");
        var failed = Verdicts.Of("PlanTests.Calendar", [Verdicts.Calendar], Verdicts.Budgets(broken: false), Verdicts.Gate(Verdict.Slower));
        var passed = Verdicts.Of("PlanTests.Calendar", [Verdicts.Calendar], Verdicts.Budgets(broken: false), Verdicts.Gate(Verdict.Same));
        var inconclusive = Verdicts.Of("PlanTests.Calendar", [Verdicts.Calendar], Verdicts.Budgets(broken: false), Verdicts.Gate(Verdict.Inconclusive));

        var message = Assert.Throws<PerfCheckException>(() => failed.EnsurePassedInConsole()).Message;

        message.Should().NotContain("mv '", "the command is printed once beside the result, not in a message dotnet test prints twice");
        failed.Text.Should().Contain("accept it: mv '/repo/baselines/pr/PlanTests.Calendar.received.json' '/repo/baselines/pr/PlanTests.Calendar.json'", "the files keep it");
        Snapshot.Match(string.Join("\n", message, "--- passed, one line", VerdictText.OneLine(passed), "--- inconclusive, one line", VerdictText.OneLine(inconclusive), ""));
    }

    [Fact]
    public void A_verdict_that_fails_only_on_its_database_checks_says_so_first()
    {
        var verdict = Verdicts.Of("ShoppingTests.Naive", [Verdicts.Shopping], Verdicts.Budgets(broken: false, Verdicts.Shopping), Verdicts.Database());

        verdict.Passed.Should().BeFalse();
        verdict.Headline.Should().Be("Performance check failed for ShoppingTests.Naive (scenario 'shopping'): 2 database findings.");
        verdict.Text.Should().Contain("\nBudgets\n").And.Contain("\nDatabase\n").And.Contain("- N+1: naive-shopping:");
        verdict.Text.Should().NotContain("AllowedSequentialScans", "an N+1 is not a sequential scan: the scan allow-list cannot excuse it")
            .And.Contain("If a statement runs this way on purpose, allow-list it, as the report prints it, with the reason: [QueryBudget(AllowedStatements = [\"statement: why\"])].");
    }

    [Fact]
    public void The_sequential_scan_allow_list_is_offered_for_a_sequential_scan()
    {
        var plan = File.ReadAllText(PlanFile("seq_scan_filter"));
        var scan = new PlanAnalyzer().Analyze("SELECT id, name FROM recipes WHERE cuisine = ?", plan, new Dictionary<string, long> { ["recipes"] = 5_000 });

        var advice = Verdicts.Database([scan]).WhatToDo;

        advice.Should().Be("Fix each database finding above (the advice is in its line). "
            + "If a sequential scan is deliberate (a table read whole by design), allow-list the table with the reason: [QueryBudget(AllowedSequentialScans = [\"table: why\"])]. "
            + "If a statement runs this way on purpose, allow-list it, as the report prints it, with the reason: [QueryBudget(AllowedStatements = [\"statement: why\"])].");
    }

    [Fact]
    public void A_gate_that_compared_nothing_points_only_at_what_says_why()
    {
        static string Body(IReadOnlyList<string> problems, IReadOnlyList<string> notes) => VerdictText.Section(
            new GateOutcome("T.M", "/b.json", null, false, [], problems, notes, BaselineMode.Compare, "pr", GatePolicy.Default).ToCheckResult());

        Body([], ["The baseline was recorded in another environment; absolute-only policy."]).Should().Contain("no comparison was made (see the notes).");
        Body(["The baseline file is corrupt."], []).Should().Contain("no comparison was made (see the problems above).");
        Body([], []).Should().Contain("no comparison was made: no statistic of this run had a baseline to compare with.").And.NotContain("see the notes");
    }

    [Fact]
    public void Summary_shows_every_check_of_every_test_and_the_whole_verdict_of_each_failed_one()
    {
        using var culture = new CultureScope("de-DE");
        var verdicts = FourTests(calendar: Verdict.Same);

        var markdown = ResultsWriter.RenderMarkdown(verdicts);

        markdown.Should().Contain("| ❌ | ShoppingTests.Naive | naive-shopping | N+1 |", "a test failing only on its database checks shows failed in the summary");
        markdown.Should().Contain("| ❌ | ShoppingTests.NoBaseline | | Baseline (pr profile, strict mode) |", "a check that could not be made has a failed row even without items");
        markdown.Should().Contain("- ❔ **PlanTests.Noisy**: GET /plan p95 vs baseline Inconclusive: the estimate is +44.3% but the trials overlap (p = 0.3452 ≥ 0.01); not enough evidence either way.", "an inconclusive row says what left it undecided");
        Snapshot.Match(markdown);
    }

    [Fact]
    public void The_html_report_shows_every_failed_check_as_failed()
    {
        using var culture = new CultureScope("de-DE");
        var verdicts = FourTests(calendar: Verdict.Slower);

        var html = HtmlReport.Render(verdicts.Select(v => new TestResults(v.Test!, v, [])).ToArray());

        html.Should().Contain("4 tests, 1 passed, 3 failed.");
        html.Should().Contain("<section class=\"test fail\" id=\"t3\" data-test=\"ShoppingTests.Naive\">", "a test failing only on its database checks shows failed");
        html.Should().Contain("<section class=\"test fail\" id=\"t4\" data-test=\"ShoppingTests.NoBaseline\">")
            .And.Contain("<h3><span class=\"mark fail\">✘</span> Baseline (pr profile, strict mode): failed</h3>", "a check that could not be made is failed even when it states pass");
        var body = html[..html.IndexOf("<script type=\"application/json\"", StringComparison.Ordinal)];
        Snapshot.Match(body, extension: "html");
    }

    /// <summary>
    /// Four tests as a run's outputs show them: the calendar passing (<see cref="Verdict.Same"/>) or breaking its budget and
    /// slower than its baseline (<see cref="Verdict.Slower"/>), a noisy one left inconclusive, one failing only on its
    /// database checks, and one whose baseline check could not be made although it states pass.
    /// </summary>
    private static TestVerdict[] FourTests(Verdict calendar) =>
    [
        Verdicts.Of("PlanTests.Calendar", [Verdicts.Calendar], Verdicts.Budgets(broken: calendar == Verdict.Slower), Verdicts.Gate(calendar)),
        Verdicts.Of("PlanTests.Noisy", [Verdicts.Calendar], Verdicts.Budgets(broken: false), Verdicts.Gate(Verdict.Inconclusive)),
        Verdicts.Of("ShoppingTests.Naive", [Verdicts.Shopping], Verdicts.Budgets(broken: false, Verdicts.Shopping), Verdicts.Database()),
        Verdicts.Of("ShoppingTests.NoBaseline", [Verdicts.Shopping], new CheckResult
        {
            Title = "Baseline (pr profile, strict mode)",
            Severity = CheckSeverity.Pass,
            Problems = ["Scenario 'shopping' has no baseline in /repo/baselines/pr/ShoppingTests.NoBaseline.json, and strict mode (PERF_BASELINE=strict, as in CI) does not record one."],
        }),
    ];

    [Fact]
    public void Summary_describes_this_test_run_only_and_counts_the_results_left_by_earlier_runs()
    {
        var directory = Directory.CreateTempSubdirectory("perf-summary-").FullName;
        try
        {
            ResultsWriter.Write(directory, "PlanTests.Calendar", Verdicts.Of("PlanTests.Calendar", [Verdicts.Calendar], Verdicts.Budgets(broken: false)), run: "earlier run");
            ResultsWriter.Write(directory, "PlanTests.Noisy", Verdicts.Of("PlanTests.Noisy", [Verdicts.Calendar], Verdicts.Budgets(broken: false)), run: "this run");
            ResultsWriter.Write(directory, "ShoppingTests.Naive", Verdicts.Of("ShoppingTests.Naive", [Verdicts.Shopping], Verdicts.Budgets(broken: false, Verdicts.Shopping)), run: "this run");

            var summary = File.ReadAllText(Path.Combine(directory, "summary.md"));

            summary.Should().StartWith("## Performance: 2 tests, 2 passed (0 with warnings), 0 failed\n", "one run's summary counts that run's tests, not those an earlier process left");
            summary.Should().NotContain("PlanTests.Calendar");
            summary.Should().Contain("- ℹ️ 1 results file of earlier test runs in tests/ was left out: this summary describes this run only.");
            Directory.GetFiles(Path.Combine(directory, "tests")).Should().HaveCount(3, "an earlier run's results file is kept, only left out of the summary");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_test_run_is_named_by_the_dotnet_test_process_above_the_test_host_or_by_PERF_RUN_ID()
    {
        // /proc/PID/stat lines: the test host (its apphost name) under vstest.console under `dotnet test` under a shell.
        var stat = new Dictionary<int, string>
        {
            [900] = "900 (Perf.Api.Tests) S 800 900 1 0 -1 0 0 0 0 0 5 1 0 0 20 0 20 0 51000 0 0",
            [800] = "800 (dotnet) S 700 800 1 0 -1 0 0 0 0 0 5 1 0 0 20 0 20 0 50500 0 0",
            [700] = "700 (dotnet) S 600 700 1 0 -1 0 0 0 0 0 5 1 0 0 20 0 20 0 50000 0 0",
            [600] = "600 (bash) S 1 600 1 0 -1 0 0 0 0 0 5 1 0 0 20 0 20 0 100 0 0",
        };

        TestRun.Identify(null, 900, pid => stat.GetValueOrDefault(pid)).Should().Be("pid 700 started at tick 50000", "every process of one dotnet test has it as its topmost dotnet ancestor");
        TestRun.Identify(" ci-job-42 ", 900, pid => stat.GetValueOrDefault(pid)).Should().Be("ci-job-42");
        TestRun.Identify(null, 900, _ => null).Should().BeNull("without /proc the run cannot be told, and the summary keeps every file");
        TestRun.Parse("7 (odd (name) x) R 3 7 1 0 -1 0 0 0 0 0 5 1 0 0 20 0 20 0 4242 0 0").Should().Be(("odd (name) x", 3, 4242L));
    }

    [Fact]
    public void This_test_host_and_the_process_that_started_it_name_the_same_run()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/proc/self/stat"), "runs are told apart through /proc on Linux only");
        var parent = TestRun.Parse(TestRun.ReadProcStat(Environment.ProcessId))!.Value.ParentId;

        var mine = TestRun.Identify(null, Environment.ProcessId, TestRun.ReadProcStat);

        mine.Should().NotBeNull();
        if (TestRun.Parse(TestRun.ReadProcStat(parent)) is { Name: "dotnet" })
        {
            TestRun.Identify(null, parent, TestRun.ReadProcStat).Should().Be(mine, "a sibling test host under the same dotnet test resolves to the same run");
        }
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

    private static string PlanFile(string name, [CallerFilePath] string file = "") => Path.Combine(Path.GetDirectoryName(file)!, "..", "Queries", "Plans", name + ".json");
}
