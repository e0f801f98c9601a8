using FluentAssertions;
using PerfRegression;
using PerfRegression.FluentAssertions;
using PerfRegression.PostgreSql;

namespace ConsumerApi.Tests;

/// <summary>What a team writes first: a budget on a route, its queries checked, and a budget stated in code.</summary>
public sealed class ItemsPerformanceTests(ItemsApp app) : IClassFixture<ItemsApp>
{
    [Fact, LatencyBudget(p95: 500), QueryBudget(maxPerRequest: 1)]
    public Task Counting_items() => Load.RunAsync(app.Target, "GET /items/count", users: 4, duration: TimeSpan.FromSeconds(2));

    [Fact, PerfTest]
    public async Task Hello_in_code()
    {
        var report = await Load.RunAsync(app.Target, "GET /hello", users: 2, duration: TimeSpan.FromSeconds(2));

        report.Should().HaveP95Below(500).And.HaveErrorRateBelow(0.01);
    }
}
