using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using PerfRegression.Checks;
using PerfRegression.PostgreSql;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>The database stopped in the middle of a run: the run keeps its deadline, the errors say what happened, the test fails.</summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class DatabaseFaultTests
{
    [Fact]
    public async Task A_database_stopped_mid_run_is_reported_as_connection_loss_and_fails_the_test_by_the_deadline()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await PostgresServer.StartAsync(new PostgresServerOptions { ConnectionStringVariable = "PERF_TEST_UNSET_" + Guid.NewGuid().ToString("N"), UseTestcontainers = false }, ct);
        await using var stop = server;
        var database = await server.CreateDatabaseAsync(cancellationToken: ct);
        await using var app = await StartAppAsync(database.ConnectionString, ct);
        var method = typeof(DatabaseFaultTests).GetMethod(nameof(A_database_stopped_mid_run_is_reported_as_connection_loss_and_fails_the_test_by_the_deadline))!;
        using var session = PerfSession.Start(TestIdentity.From(method));
        session.AddBudgets([Budget.ErrorRate(0.01)]);
        session.ConfigureGate(enabled: false);
        var duration = TimeSpan.FromSeconds(3);

        var clock = Stopwatch.StartNew();
        var stopping = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            await server.DisposeAsync();
        }, ct);
        var report = await Load.RunAsync(app.Target, Scenario.Create("read").Get("one", "/one"), LoadProfile.Users(4, duration), new LoadOptions { Warmup = TimeSpan.Zero }, ct);
        var elapsed = clock.Elapsed;
        await stopping;
        var verdict = await session.FinishAsync(ct);

        var kinds = report.Routes.Single().ErrorsByKind;
        TestContext.Current.TestOutputHelper!.WriteLine($"{elapsed.TotalSeconds:0.0} s; " + string.Join(", ", kinds.Select(k => $"{k.Key} x {k.Value}")));
        elapsed.Should().BeLessThan(duration + TimeSpan.FromSeconds(5), "the run ends by its deadline although every request fails");
        kinds.Should().NotBeEmpty();
        // The app's unhandled exception is a 500, as a client of the deployed app sees it; in memory its cause is named too.
        kinds.Keys.Should().BeSubsetOf(["HTTP 500 (database connection lost)", "HTTP 500 (database unreachable)"], "a stopped database is named as such, not 'exception NpgsqlException'");
        kinds.Keys.Should().Contain("HTTP 500 (database unreachable)", "requests after the stop find nothing listening");
        verdict.Passed.Should().BeFalse();
        verdict.Text.Should().Contain("error rate   <= 1%");
    }

    private static Task<DatabaseApp> StartAppAsync(string connectionString, CancellationToken ct) => DatabaseApp.StartAsync(connectionString, (app, dataSource) =>
        app.MapGet("/one", async (CancellationToken token) =>
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            return Results.Text(Convert.ToString(await command.ExecuteScalarAsync(token), System.Globalization.CultureInfo.InvariantCulture));
        }), cancellationToken: ct);
}
