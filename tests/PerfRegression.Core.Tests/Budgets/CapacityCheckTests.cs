using System.Reflection;
using PerfRegression.Checks;
using PerfRegression.Engine;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Budgets;

/// <summary>
/// Capacity in the verdict: a test's capacity searches are checked against a stated minimum and against the capacity
/// baseline (recorded, compared and proposed as the latency baseline is), from searches whose findings are known.
/// </summary>
public sealed class CapacityCheckTests : IDisposable
{
    private static readonly MethodInfo Method = typeof(CapacityCheckTests).GetMethod(nameof(A_drop_beyond_the_allowed_one_fails_and_proposes_the_run_without_touching_the_baseline))!;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "perf-capacity-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Update_records_the_capacity_baseline_and_a_later_run_of_the_same_capacity_passes()
    {
        var recorded = await Run(BaselineMode.Update, Search(within: 400, breaking: 440));
        recorded.Passed.Should().BeTrue(recorded.Text);
        File.Exists(BaselinePath).Should().BeTrue();
        File.ReadAllText(BaselinePath).Should().Contain("\"withinBudget\": 400").And.Contain("\"breaking\": 440");

        var compared = await Run(BaselineMode.Compare, Search(within: 370, breaking: 410));

        compared.Passed.Should().BeTrue(compared.Text);
        var item = Capacity(compared).Items.Single(i => i.Check == "capacity vs baseline");
        item.Verdict.Should().Be("Same");
        item.Measured.Should().Be("370/s (-7.5%)");
        item.Expected.Should().Be(">= 320/s (400/s less 20%)");
    }

    [Fact]
    public async Task A_drop_beyond_the_allowed_one_fails_and_proposes_the_run_without_touching_the_baseline()
    {
        await Run(BaselineMode.Update, Search(within: 400, breaking: 440));
        var before = File.ReadAllText(BaselinePath);

        var verdict = await Run(BaselineMode.Compare, Search(within: 250, breaking: 280));

        verdict.Passed.Should().BeFalse();
        var item = Capacity(verdict).Items.Single(i => i.Check == "capacity vs baseline");
        item.Severity.Should().Be(CheckSeverity.Fail);
        item.Reason.Should().Be("capacity dropped 37.5% from the baseline's 400/s: even the lowest rate that broke the budget (280/s) is below the 20% allowed drop (320/s)");
        File.ReadAllText(BaselinePath).Should().Be(before, "a failing run never becomes a baseline");
        File.Exists(ReceivedPath).Should().BeTrue();
        Snapshot.Match(verdict.Text.Replace(_directory, "{baselines}", StringComparison.Ordinal));
        MicroBenchmarkCheckTests.FailedEverywhere(verdict, "Capacity");
    }

    [Fact]
    public async Task A_drop_the_search_bracket_leaves_open_warns_instead_of_failing()
    {
        await Run(BaselineMode.Update, Search(within: 400, breaking: 440));

        var verdict = await Run(BaselineMode.Compare, Search(within: 300, breaking: 360));

        verdict.Passed.Should().BeTrue(verdict.Text);
        var item = Capacity(verdict).Items.Single(i => i.Check == "capacity vs baseline");
        item.Severity.Should().Be(CheckSeverity.Warn);
        item.Reason.Should().StartWith("the highest rate within budget is 25% below the baseline's 400/s, but the search's bracket reaches above the allowed floor (320/s)");
    }

    [Fact]
    public async Task A_capacity_below_the_stated_minimum_fails_and_none_found_fails_too()
    {
        var below = await Run(BaselineMode.Compare, Search(within: 150, breaking: 170), new CapacityCheck { Minimum = 200, CompareWithBaseline = false });
        var none = await Run(BaselineMode.Compare, Search(within: null, breaking: 10), new CapacityCheck { CompareWithBaseline = false });

        below.Passed.Should().BeFalse();
        Capacity(below).Items.Single().Should().Match<CheckItem>(i => i.Expected == ">= 200/s" && i.Measured == "150/s within budget, breaking at 170/s" && i.Verdict == "below");
        none.Passed.Should().BeFalse();
        Capacity(none).Items.Single().Measured.Should().Be("none: even the start rate broke the budget");
        File.Exists(BaselinePath).Should().BeFalse();
    }

    [Fact]
    public async Task Strict_mode_without_a_capacity_baseline_fails_and_a_corrupt_one_is_named()
    {
        var strict = await Run(BaselineMode.Strict, Search(within: 400, breaking: 440));
        strict.Passed.Should().BeFalse();
        Capacity(strict).Problems.Should().ContainSingle().Which.Should().StartWith("The capacity search of 'search' has no baseline in ");
        File.Exists(ReceivedPath).Should().BeTrue("the run is proposed for review");

        Directory.CreateDirectory(Path.GetDirectoryName(BaselinePath)!);
        await File.WriteAllTextAsync(BaselinePath, "{ \"schemaVersion\": 1, \"test\": \"x\", \"searches\": [] }", TestContext.Current.CancellationToken);
        var corrupt = await Run(BaselineMode.Compare, Search(within: 400, breaking: 440));
        corrupt.Passed.Should().BeFalse();
        Capacity(corrupt).Problems.Should().ContainSingle().Which.Should().Contain("cannot be used: it belongs to the test 'x'");
    }

    [Fact]
    public async Task A_test_that_only_searched_capacity_is_judged_by_its_capacity_and_a_check_without_a_search_fails()
    {
        var searchOnly = await Run(BaselineMode.Compare, Search(within: 400, breaking: 440));
        searchOnly.Passed.Should().BeTrue(searchOnly.Text);
        searchOnly.Results.Select(r => r.Title).Should().Equal(["Baseline (pr profile, compare mode)", "Capacity"], "no default error budget judges a test without a load run");
        File.Exists(BaselinePath).Should().BeTrue("compare mode outside CI records a missing baseline");

        var noSearch = await Run(BaselineMode.Compare, search: null, new CapacityCheck());
        noSearch.Passed.Should().BeFalse();
        Capacity(noSearch).Problems.Should().Contain("The test has a capacity check but made no capacity search, so there is no capacity to check. Search it in the test body with Capacity.FindAsync(...), or remove the capacity check.");
    }

    [Fact]
    public async Task A_received_capacity_baseline_is_described_and_accepted()
    {
        await Run(BaselineMode.Update, Search(within: 400, breaking: 440));
        await Run(BaselineMode.Compare, Search(within: 250, breaking: 280));

        var received = ReceivedBaseline.Find(_directory).Should().ContainSingle().Subject;
        received.Changes.Should().Equal(["capacity of 'search': 400/s → 250/s (-37.5%)"]);
        received.ReplacesBaseline.Should().BeTrue();
        received.Accept();
        File.ReadAllText(BaselinePath).Should().Contain("\"withinBudget\": 250");
        File.Exists(ReceivedPath).Should().BeFalse();
    }

    [Fact]
    public async Task The_performance_report_shows_each_search_against_its_minimum_with_its_curve()
    {
        var verdict = await Run(BaselineMode.Compare, Search(within: 400, breaking: 440), new CapacityCheck { Minimum = 300, CompareWithBaseline = false });

        var report = PerformanceReport.Render([new TestResults("CapacityCheckTests.Search.json", verdict, [])]);

        Snapshot.Match(report[report.IndexOf("## Capacity", StringComparison.Ordinal)..report.IndexOf("## Against the baseline", StringComparison.Ordinal)], extension: "md");
    }

    [Fact]
    public void Invalid_settings_are_listed_together()
    {
        new CapacityCheck { Minimum = -1, MaxDrop = 1.5 }.Validate().Should().Equal(
        [
            "The capacity check's Minimum is -1; it must be a rate greater than zero, iterations per second (or unset for none).",
            "The capacity check's MaxDrop is 1.5; it is a fraction between 0 and 1 (0.2, or MaxDropPercent = 20 on [CapacityBudget]: capacity more than 20% below the baseline's fails).",
        ]);
        new CapacityBudgetAttribute(300) { MaxDropPercent = 10 }.Check.Should().Match<CapacityCheck>(c => c.Minimum == 300 && Math.Abs(c.MaxDrop - 0.1) < 1e-12);
    }

    private string BaselinePath => Path.Combine(_directory, "pr", "capacity", TestIdentity.From(Method).FileName + ".json");

    private string ReceivedPath => Path.ChangeExtension(BaselinePath, ".received.json");

    private static CheckResult Capacity(TestVerdict verdict) => verdict.Results.Single(r => r.Title == "Capacity");

    /// <summary>A search that found <paramref name="within"/> within budget and broke at <paramref name="breaking"/>.</summary>
    private static CapacityReport Search(double? within, double breaking)
    {
        CapacityStep Step(double rate, bool ok) => new(rate, ok ? rate : rate * 0.8, ok ? 40 : 900, 0, ok, ok ? null : "p95 900 ms (budget <= 500 ms)", Reports.Report("search", Reports.Route("GET", [10, 20, 30])));
        var steps = within is { } w ? new[] { Step(w / 2, true), Step(w, true), Step(breaking, false) } : [Step(breaking, false)];
        return new CapacityReport("search", within, breaking, "CPU, machine saturated at 440/s. The machine's cores were busy.", steps, TimeSpan.FromSeconds(42));
    }

    private async Task<TestVerdict> Run(BaselineMode mode, CapacityReport? search, CapacityCheck? check = null)
    {
        var settings = new PerfSettings { Mode = mode, BaselineDirectory = _directory, ResultsDirectory = Path.Combine(_directory, "results") };
        using var session = PerfSession.Start(TestIdentity.From(Method), settings);
        if (check is not null)
        {
            session.AddCheck(check);
        }

        if (search is not null)
        {
            ((ILoadRunContext)session).CapacityFound(search);
        }

        return await session.FinishAsync(TestContext.Current.CancellationToken);
    }
}
