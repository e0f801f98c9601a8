using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>Two separate app instances answer byte for byte the same: latencies of runs and machines are comparable.</summary>
public sealed class DeterminismTests
{
    [Theory]
    [InlineData("/plan?week=2026-11-23")]
    [InlineData("/shopping?week=2027-02-15")]
    [InlineData("/recipes/777")]
    [InlineData("/recipes?search=soup&take=50")]
    public async Task Separate_app_instances_give_identical_answers(string path)
    {
        await using var first = new MealPlannerFactory();
        await using var second = new MealPlannerFactory();
        using var a = first.CreateClient();
        using var b = second.CreateClient();

        var fromFirst = await a.GetStringAsync(path, TestContext.Current.CancellationToken);
        var fromSecond = await b.GetStringAsync(path, TestContext.Current.CancellationToken);

        fromSecond.Should().Be(fromFirst);
    }
}
