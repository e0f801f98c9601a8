using PerfRegression.Checks;
using PerfRegression.PostgreSql;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>Database findings join the latency verdict: one failure, one sectioned message.</summary>
[Collection(TimingSensitive.Name)]
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
}
