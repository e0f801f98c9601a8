using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Budgets;

/// <summary>Memory budgets: heap growth per 1,000 requests, the heap after the run, the working set's peak.</summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public void Growth_per_1000_requests_is_checked_beside_its_measurement()
    {
        // 2,000 requests that kept 30 MiB: 15 MiB per 1,000.
        var report = Reports.WithMemory(requests: 2_000, growth: 30L * 1024 * 1024);

        var evaluation = report.Evaluate(Budget.HeapGrowthPer1000Requests(10 * 1024 * 1024), Budget.HeapAfterRun(100 * 1024 * 1024), Budget.WorkingSetPeak(512 * 1024 * 1024));

        evaluation.Results.Select(r => (r.Budget.MetricName, r.Passed)).Should().Equal(("heap growth/1,000 requests", false), ("heap after run", true), ("working set peak", true));
        var broken = evaluation.ToCheckResult().Items.Single(i => i.Severity == CheckSeverity.Fail);
        broken.Expected.Should().Be("<= 10 MiB");
        broken.Measured.Should().Be("15 MiB");
        broken.Evidence.Should().Be("2,000 requests");
    }

    [Fact]
    public void The_attribute_states_budgets_in_megabytes()
    {
        var attribute = new MemoryBudgetAttribute { GrowthPer1000RequestsMegabytes = 100, HeapAfterRunMegabytes = 512, WorkingSetMegabytes = 1024 };

        attribute.Budgets.Select(b => b.ToString()).Should().Equal(
            "(all routes): heap growth/1,000 requests <= 100 MiB",
            "(all routes): heap after run <= 512 MiB",
            "(all routes): working set peak <= 1,024 MiB");
    }

    [Fact]
    public void A_run_that_did_not_measure_memory_cannot_pass_a_memory_budget_and_says_how_to_measure_it()
    {
        var unmeasured = Reports.WithResources(requests: 400, cpu: TimeSpan.FromMilliseconds(300), allocated: 1_000, gen0: 0);

        var evaluation = unmeasured.Evaluate(Budget.HeapGrowthPer1000Requests(1024));

        evaluation.Passed.Should().BeFalse();
        evaluation.Problems.Should().ContainSingle().Which.Should().Contain("the run did not measure memory").And.Contain("[MemoryBudget]").And.Contain("LoadOptions.MeasureMemory is true");
    }

    [Fact]
    public void A_run_other_tests_of_the_process_overlapped_cannot_be_judged_on_memory()
    {
        var overlapped = Reports.WithMemory(requests: 2_000, growth: 1024, otherTests: true);

        var evaluation = overlapped.Evaluate(Budget.HeapGrowthPer1000Requests(10 * 1024 * 1024));

        evaluation.Passed.Should().BeFalse("a small growth measured while other tests shared the heap proves nothing");
        evaluation.Problems.Should().ContainSingle().Which.Should().Contain("other tests ran in this process during the run").And.Contain("DisableParallelization = true");
    }

    [Fact]
    public void An_impossible_memory_budget_is_refused_with_every_problem()
    {
        var act = () => Reports.WithMemory(requests: 10, growth: 0).Evaluate(Budget.HeapGrowthPer1000Requests(0), Budget.WorkingSetPeak(-1));

        act.Should().Throw<PerfConfigurationException>()
            .Which.Message.Should().Contain("The heap growth/1,000 requests budget is 0; a memory budget must be greater than zero bytes")
            .And.Contain("The working set peak budget is -1; a memory budget must be greater than zero bytes");
    }

    [Fact]
    public void An_attribute_without_a_budget_is_refused()
    {
        var act = () => new MemoryBudgetAttribute().Before(typeof(MemoryBudgetTests).GetMethod(nameof(An_attribute_without_a_budget_is_refused))!, null!);

        act.Should().Throw<PerfConfigurationException>().Which.Message.Should().Contain("[MemoryBudget] states no budget. Give at least one, e.g. [MemoryBudget(GrowthPer1000RequestsMegabytes = 100)]");
    }

    [Fact]
    public void Trials_merge_their_memory_first_heap_to_last_with_the_growths_summed()
    {
        var merged = MemoryUsage.Combine([new MemoryUsage(100, 150, 50, 1_000, 10), new MemoryUsage(140, 200, 60, 3_000, 30)])!;

        merged.Should().Be(new MemoryUsage(100, 200, 110, 3_000, 40));
        merged.GrowthPer1000Requests.Should().Be(110 * 1000.0 / 40);
        MemoryUsage.Combine([new MemoryUsage(100, 150, 50, 1_000, 10), null]).Should().BeNull("a merge cannot say what a trial that did not measure did");
    }
}
