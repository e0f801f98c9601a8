using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using PerfRegression.PostgreSql;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>A real server for the capture tests, with a table of 2,000 items.</summary>
public sealed class ItemsDatabase : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresDatabase Database { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await PostgresServer.StartAsync(new PostgresServerOptions { ConnectionStringVariable = "PERF_TEST_UNSET_" + Guid.NewGuid().ToString("N"), UseTestcontainers = false });
        Database = await _server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE TABLE items (id int PRIMARY KEY, grp int NOT NULL); INSERT INTO items SELECT i, i % 50 FROM generate_series(1, 2000) i; ANALYZE items", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Commands are attributed to the request that caused them, under concurrency, on both in-process targets.</summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class QueryCaptureTests(ItemsDatabase items) : IClassFixture<ItemsDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_command_is_counted_for_its_own_request_and_nothing_else(bool kestrel)
    {
        await using var app = await StartAppAsync(items.Database.ConnectionString, kestrel);
        var scenario = Scenario.Create("mixed")
            .Get("three", "/items/3", Check.Status(200))
            .Get("none", "/none", Check.Status(200))
            .Get("seven", "/items/7", Check.Status(200));

        using var capture = QueryCapture.Start();
        await RunOutsideRequestAsync(items.Database.ConnectionString); // the fixture's own query is not a request's
        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(16, 10), new LoadOptions { Warmup = TimeSpan.FromMilliseconds(300) }, Cancel);

        var requests = await capture.GetRequestsAsync(Cancel);
        TestContext.Current.TestOutputHelper!.WriteLine($"unended={capture.UnendedCommands} late={capture.LateCommands} " + string.Join(", ", requests.GroupBy(r => (r.Route, r.Commands.Count)).Select(g => $"{g.Key.Route}:{g.Key.Count}x{g.Count()}")));
        requests.Should().HaveCount((int)report.Overall.Count, "every measured request is captured once, warm-up requests are not");
        requests.Where(r => r.Route == "three").Should().OnlyContain(r => r.Commands.Count == 3);
        requests.Where(r => r.Route == "seven").Should().OnlyContain(r => r.Commands.Count == 7);
        requests.Where(r => r.Route == "none").Should().OnlyContain(r => r.Commands.Count == 0);
        requests.SelectMany(r => r.Commands).Should().OnlyContain(c =>
            c.Text == "SELECT grp FROM items WHERE id = $1" && (c.Rows == null || c.Rows == 1) && c.Database == items.Database.Name && c.Duration >= TimeSpan.Zero);
        capture.LateCommands.Should().Be(0);
    }

    [Fact]
    public async Task Nothing_is_captured_after_the_capture_is_disposed()
    {
        await using var app = await StartAppAsync(items.Database.ConnectionString, kestrel: false);
        var capture = QueryCapture.Start();
        capture.Dispose();

        await Load.RunAsync(app.Target, Scenario.Create("after").Get("three", "/items/3"), LoadProfile.Iterations(2, 5), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);

        (await capture.GetRequestsAsync(Cancel)).Should().BeEmpty();
    }

    private static async Task RunOutsideRequestAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM items", connection);
        await command.ExecuteScalarAsync(Cancel);
    }

    internal static Task<DatabaseApp> StartAppAsync(string connectionString, bool kestrel) => DatabaseApp.StartAsync(connectionString, (app, dataSource) =>
    {
        app.MapGet("/none", () => Results.Text("none"));
        app.MapGet("/items/{n:int}", async (int n, CancellationToken ct) =>
        {
            // One query per item, deliberately: an N+1 shape with a known count.
            var sum = 0;
            for (var id = 1; id <= n; id++)
            {
                await using var command = dataSource.CreateCommand("SELECT grp FROM items WHERE id = $1");
                command.Parameters.Add(new NpgsqlParameter { Value = id * 17 });
                sum += (int)(await command.ExecuteScalarAsync(ct))!;
            }

            return Results.Text(sum.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
    }, kestrel, Cancel);
}
