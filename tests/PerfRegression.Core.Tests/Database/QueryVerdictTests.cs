using PerfRegression.Checks;
using PerfRegression.PostgreSql;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>Database findings join the latency verdict: one failure, one sectioned message.</summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class QueryVerdictTests(ItemsDatabase items) : IClassFixture<ItemsDatabase>
{
    [Fact]
    public async Task An_N_plus_1_fails_the_test_in_the_same_message_as_the_latency_budgets()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await QueryCaptureTests.StartAppAsync(items.Database.ConnectionString, kestrel: false);
        var method = typeof(QueryVerdictTests).GetMethod(nameof(An_N_plus_1_fails_the_test_in_the_same_message_as_the_latency_budgets))!;
        using var session = PerfSession.Start(TestIdentity.From(method));
        session.AddBudgets([Budget.P95(10_000, "seven")]);
        session.ConfigureGate(enabled: false);
        session.AddCheck(new QueryBudgetCheck(QueryCapture.Start(), new QueryBudget { MaxPerRequest = 3 }));
        await Load.RunAsync(app.Target, Scenario.Create("items").Get("seven", "/items/7", Check.Status(200)), LoadProfile.Iterations(4, 5), new LoadOptions { Warmup = TimeSpan.Zero }, ct);

        var verdict = await session.FinishAsync(ct);

        verdict.Passed.Should().BeFalse();
        var message = verdict.Text;
        message.Should().StartWith("Performance check failed for QueryVerdictTests.An_N_plus_1_fails_the_test_in_the_same_message_as_the_latency_budgets (scenario 'items'): 2 database findings.");
        message.Should().Contain("\nBudgets\n").And.Contain("\nDatabase\n").And.Contain("\nRun\n").And.Contain("\nWhat to do\n");
        message.Should().Contain("- N+1: seven: \"SELECT grp FROM items WHERE id = ?\" ran 7 times in one request (median 7 over 20 requests): an N+1 pattern;");
        message.Should().Contain("- Commands per request: seven ran up to 7 SQL commands in one request (p50 7), over the budget of 3.");
        message.Should().Contain("Plans: 1 statement explained, 0 with findings.");
    }

    [Fact]
    public async Task A_test_failing_only_its_query_budget_fails_and_its_results_and_summary_say_so()
    {
        // Plays xUnit's part with the real attributes: Before of each, the body, After in reverse.
        var method = typeof(QueryVerdictTests).GetMethod(nameof(A_test_failing_only_its_query_budget_fails_and_its_results_and_summary_say_so))!;
        var identity = TestIdentity.From(method);
        await using var app = await QueryCaptureTests.StartAppAsync(items.Database.ConnectionString, kestrel: false);
        PerfCheckAttribute[] attributes =
        [
            new LatencyBudgetAttribute(p95: 10_000) { Route = "seven", ErrorRate = 0.01 },
            new RegressionGateAttribute { Enabled = false },
            new QueryBudgetAttribute(maxPerRequest: 3),
        ];
        foreach (var attribute in attributes)
        {
            attribute.Before(method, null!);
        }

        await Load.RunAsync(app.Target, Scenario.Create("items").Get("seven", "/items/7", Check.Status(200)), LoadProfile.Iterations(4, 5), new LoadOptions { Warmup = TimeSpan.Zero }, TestContext.Current.CancellationToken);
        var after = () =>
        {
            foreach (var attribute in attributes.Reverse())
            {
                attribute.After(method, null!);
            }
        };

        var verdict = after.Should().Throw<PerfCheckException>().Which.Verdict!;

        verdict.Results.Select(r => (r.Title, r.Severity)).Should().Equal(("Budgets", CheckSeverity.Pass), ("Database", CheckSeverity.Fail));
        var results = PerfSettings.Current.ResultsDirectoryFor(identity.Directory);
        var json = await File.ReadAllTextAsync(Path.Combine(results, "tests", identity.FileName + ".json"), TestContext.Current.CancellationToken);
        var written = ResultsWriter.Deserialize(json)!;
        written.Passed.Should().BeFalse();
        written.Results.Single(r => r.Title == "Database").Body.Should().NotBeEmpty("the results keep the database section");
        json.Should().Contain("\"passed\": false").And.Contain("\"title\": \"Database\"").And.Contain("\"severity\": \"fail\"");
        var summary = await File.ReadAllTextAsync(Path.Combine(results, "summary.md"), TestContext.Current.CancellationToken);
        summary.Should().Contain($"| ❌ | {identity.Name} | (all routes) | N+1 |")
            .And.Contain($"| ✅ | {identity.Name} | seven | p95 budget |")
            .And.Contain($"<summary>❌ {identity.Name}: the whole verdict</summary>")
            .And.Contain("\nDatabase\n");
    }
}
