using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Budgets;

/// <summary>
/// Capacity search on a system of known capacity: at most 4 requests at once, each waiting 20 ms, so no rate above
/// 200 a second can be served (Little's law). Waiting, not CPU, so a busy machine does not move the knee much.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class CapacitySearchTests
{
    [Fact]
    public async Task The_search_brackets_the_known_capacity_and_reports_each_step()
    {
        using var slots = new SemaphoreSlim(4);
        await using var app = await TestApp.StartAsync(web => web.MapGet("/slow", async () =>
        {
            await slots.WaitAsync();
            try
            {
                await Task.Delay(20);
            }
            finally
            {
                slots.Release();
            }

            return Results.Text("ok");
        }));
        var options = new CapacityOptions { Budgets = [Budget.P95(200)], StartRate = 40, Growth = 2, Precision = 0.2, StepDuration = TimeSpan.FromSeconds(1), MaxConcurrency = 128, MaxDuration = TimeSpan.FromSeconds(40) };

        var found = await Capacity.FindAsync(app.Target, Scenario.Create("slow").Get("slow", "/slow"), options, TestContext.Current.CancellationToken);

        found.WithinBudget.Should().BeInRange(60, 210, found.ToSummary());
        found.Breaking.Should().BeGreaterThan(found.WithinBudget!.Value).And.BeLessThanOrEqualTo(400, found.ToSummary());
        (found.Breaking!.Value / found.WithinBudget.Value).Should().BeLessThanOrEqualTo(1.2 + 1e-9, "the search narrows to its precision");
        found.Steps.Select(s => s.Rate).Take(3).Should().Equal([40, 80, 160], "it starts at StartRate and grows by Growth");
        found.Steps.Where(s => !s.WithinBudget).Should().OnlyContain(s => s.Broken != null);
        found.ToSummary().Should().Contain("Capacity of 'slow': ").And.Contain("At the knee: ").And.Contain("BROKEN: ");
        var act = () => found.EnsureAtLeast(1_000);
        act.Should().Throw<PerfCheckException>().WithMessage("Capacity of 'slow' is *, below the 1,000/s required.*");
    }

    [Fact]
    public async Task Impossible_options_are_refused_with_every_problem()
    {
        var options = new CapacityOptions { Budgets = [Budget.CpuPerRequest(1)], StartRate = 0, Growth = 1, StepDuration = TimeSpan.FromMilliseconds(10) };

        var act = () => Capacity.FindAsync(LoadTarget.External(new Uri("http://127.0.0.1:9/")), Scenario.Create("x").Get("x", "/"), options, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Message.Should()
            .Contain("The cpu/request budget cannot define capacity")
            .And.Contain("StartRate is 0; it must be a rate greater than zero")
            .And.Contain("Growth is 1; it must be between 1.05 and 10")
            .And.Contain("StepDuration is 10 ms; it must be between 1 s");
    }
}
