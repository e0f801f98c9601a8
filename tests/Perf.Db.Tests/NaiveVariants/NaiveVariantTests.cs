using Perf.Db.Tests.Support;
using PerfRegression;
using PerfRegression.PostgreSql;

namespace Perf.Db.Tests.NaiveVariants;

/// <summary>
/// Proof that the checks can fail: the naive variants must be flagged, with the finding a developer reads.
/// The same budget as the sample's own routes, in code, so the report can be asserted. Tests of the checks, not
/// gates of the sample, so they run with every test (<c>dotnet test</c>) and leave the performance stage its
/// 5 minutes.
/// </summary>
public sealed class NaiveVariantTests(SampleApp app) : IClassFixture<SampleApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lazy_per_recipe_ingredient_loading_is_reported_as_an_N_plus_1()
    {
        var weeks = Users.Weeks();
        var scenario = Scenario.Create("naive shopping")
            .Setup(Users.LogInAndPlanAsync)
            .Get("naive-shopping", u => $"/naive/shopping?week={weeks.Next(u)}", Check.Status(200));

        using var capture = QueryCapture.Start();
        await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(10, 4), cancellationToken: Cancel);
        var report = await capture.AnalyzeAsync(new QueryBudget { Route = "naive-shopping", MaxPerRequest = 5 }, Cancel);
        TestContext.Current.TestOutputHelper!.WriteLine(report.ToText());

        report.Passed.Should().BeFalse();
        report.Findings.Should().Contain(
            "N+1: naive-shopping: \"SELECT name, quantity, unit FROM recipe_ingredients WHERE recipe_id = ?\" ran 21 times in one request (median 21 over 40 requests): an N+1 pattern; load these rows in one query (JOIN or WHERE recipe_id = ANY(?)).");
        report.Findings.Should().Contain(f => f.StartsWith("Commands per request: naive-shopping ran up to 22 SQL commands in one request (p50 22), over the budget of 5.", StringComparison.Ordinal));

        var fail = () => report.EnsureWithinBudget();
        fail.Should().Throw<PerfCheckException>().Which.Message.Should().StartWith("Performance check failed: 2 database findings.")
            .And.Contain("\nDatabase\n").And.Contain("ran 21 times in one request");
    }

    [Fact]
    public async Task A_filter_on_an_unindexed_column_is_reported_as_a_sequential_scan()
    {
        var ingredients = DataFeed.Circular(["rice", "onion", "garlic", "chicken breast"]);
        var scenario = Scenario.Create("naive search")
            .Get("naive-recipes-with", u => $"/naive/recipes-with?ingredient={Uri.EscapeDataString(ingredients.Next(u))}", Check.Status(200));

        using var capture = QueryCapture.Start();
        await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(4, 5), cancellationToken: Cancel);
        var report = await capture.AnalyzeAsync(new QueryBudget { Route = "naive-recipes-with" }, Cancel);
        TestContext.Current.TestOutputHelper!.WriteLine(report.ToText());

        report.Passed.Should().BeFalse();
        report.Findings.Should().ContainSingle().Which.Should().MatchRegex(
            @"^Plan: Seq Scan on recipe_ingredients \([\d,]+ rows\) filtering \(name = .+\): the statement reads the whole table; add an index on recipe_ingredients\(name\) or allow-list it\.$");
    }

    [Fact]
    public async Task An_allow_listed_scan_passes_and_is_reported_with_its_reason()
    {
        var scenario = Scenario.Create("naive search")
            .Get("naive-recipes-with", "/naive/recipes-with?ingredient=rice", Check.Status(200));

        using var capture = QueryCapture.Start();
        await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(2, 3), cancellationToken: Cancel);
        var report = await capture.AnalyzeAsync(new QueryBudget
        {
            Route = "naive-recipes-with",
            AllowedSequentialScans = new Dictionary<string, string> { ["recipe_ingredients"] = "a monthly report, not a user route" },
        }, Cancel);

        report.Passed.Should().BeTrue(report.ToText());
        report.ToText().Should().Contain("allowed: ").And.Contain("a monthly report, not a user route");
    }
}
