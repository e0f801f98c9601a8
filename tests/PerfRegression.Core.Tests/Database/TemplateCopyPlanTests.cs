using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using PerfRegression.PostgreSql;
using PerfRegression.Checks;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>A server with a template of 2,120 recipes seeded the way users seed: without ANALYZE.</summary>
public sealed class UnanalysedTemplate : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public string Template { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await PostgresServer.StartAsync(new PostgresServerOptions { ConnectionStringVariable = "PERF_TEST_UNSET_" + Guid.NewGuid().ToString("N"), UseTestcontainers = false });
        Template = await Server.CreateTemplateAsync("recipes", async (connectionString, ct) =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("CREATE TABLE recipes (id int PRIMARY KEY, name text NOT NULL); INSERT INTO recipes SELECT i, 'recipe ' || i FROM generate_series(1, 2120) i", connection);
            await command.ExecuteNonQueryAsync(ct);
        });
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Plans of a copy of a template: sizes seen without the user's ANALYZE, and a database gone before the checks said so.</summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class TemplateCopyPlanTests(UnanalysedTemplate seeded) : IClassFixture<UnanalysedTemplate>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sequential_scan_of_a_table_in_an_unanalysed_copy_is_found_at_its_real_size()
    {
        await using var database = await seeded.Server.CreateDatabaseAsync(seeded.Template, Cancel);
        await using var app = await StartAppAsync(database.ConnectionString);
        using var capture = QueryCapture.Start();
        await Load.RunAsync(app.Target, Scenario.Create("search").Get("search", "/search"), LoadProfile.Iterations(2, 3), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);

        var report = await capture.AnalyzeAsync(cancellationToken: Cancel);

        TestContext.Current.TestOutputHelper!.WriteLine(report.ToText());
        report.Findings.Should().ContainSingle(f => f.StartsWith("Plan: ", StringComparison.Ordinal) && f.Contains("Seq Scan on recipes (2,120 rows)", StringComparison.Ordinal),
            "the table holds 2,120 rows although the copy was never analysed (reltuples = -1, n_live_tup = 0)");
    }

    [Fact]
    public async Task A_database_disposed_in_the_test_body_is_named_as_the_reason_plans_were_not_explained()
    {
        var method = typeof(TemplateCopyPlanTests).GetMethod(nameof(A_database_disposed_in_the_test_body_is_named_as_the_reason_plans_were_not_explained))!;
        using var session = PerfSession.Start(TestIdentity.From(method));
        session.ConfigureGate(enabled: false);
        session.AddCheck(new QueryBudgetCheck(QueryCapture.Start(), new QueryBudget()));
        string name;
        await using (var database = await seeded.Server.CreateDatabaseAsync(seeded.Template, Cancel))
        {
            name = database.Name;
            await using var app = await StartAppAsync(database.ConnectionString);
            await Load.RunAsync(app.Target, Scenario.Create("search").Get("search", "/search"), LoadProfile.Iterations(2, 3), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);
        }

        var verdict = await session.FinishAsync(Cancel);

        verdict.Passed.Should().BeFalse("an unchecked plan is never a pass");
        verdict.Text.Should().Contain($"The database '{name}' was dropped before its statements could be explained: "
            + "[QueryBudget] checks plans after the test body, and the body disposed the database (await using inside the test). "
            + "Keep the database alive until the test ends: create it in the test class (constructor and DisposeAsync, or a fixture) instead of the body, or set CheckPlans = false.");
        verdict.Text.Should().NotContain("Start the database with PostgresServer or PostgresFixture", "it was started that way: that advice does not fit");
    }

    private static Task<DatabaseApp> StartAppAsync(string connectionString) => DatabaseApp.StartAsync(connectionString, (app, dataSource) =>
        app.MapGet("/search", async (CancellationToken ct) =>
        {
            // No index on name: a sequential scan of every recipe.
            await using var command = dataSource.CreateCommand("SELECT id FROM recipes WHERE name = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = "recipe 2000" });
            return Results.Text(Convert.ToString(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
        }), cancellationToken: Cancel);
}
