using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>
/// The pool signals read from a live Npgsql data source: the connections it holds (a soak's leak samples) and the
/// requests waiting for one, which name an exhausted pool as the bottleneck.
/// </summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class ConnectionPoolTests(ItemsDatabase items) : IClassFixture<ItemsDatabase>
{
    [Fact]
    public async Task A_pool_too_small_for_the_load_is_named_and_its_connections_are_sampled()
    {
        // Two connections for eight users who each hold one for 30 ms: six wait at any time.
        var connectionString = new NpgsqlConnectionStringBuilder(items.Database.ConnectionString) { MaxPoolSize = 2, Timeout = 60 }.ConnectionString;
        await using var app = await DatabaseApp.StartAsync(connectionString, (web, data) => web.MapGet("/hold", async () =>
        {
            await using var command = data.CreateCommand("SELECT pg_sleep(0.03)");
            await command.ExecuteNonQueryAsync();
            return Results.Text("ok");
        }), cancellationToken: TestContext.Current.CancellationToken);

        var report = await Load.RunAsync(app.Target, Scenario.Create("pool").Get("hold", "/hold", Check.Status(200)), LoadProfile.Users(8, TimeSpan.FromSeconds(3)),
            new LoadOptions { Warmup = TimeSpan.FromMilliseconds(500), LeakSampleInterval = TimeSpan.FromMilliseconds(500) }, TestContext.Current.CancellationToken);

        var runtime = report.Runtime!;
        runtime.ConnectionPoolWaitingAverage.Should().BeGreaterThan(RuntimeHealth.ConnectionPoolWaitingThreshold, "six of the eight users wait for a connection most of the time");
        runtime.ConnectionPoolWaitingMax.Should().BeGreaterThanOrEqualTo(4);
        PerformanceReport.Bottleneck(PerformanceReport.Signals.Of(report)).Name.Should().Be("connection-pool waits");
        report.ResourceSamples.Should().NotBeEmpty().And.OnlyContain(s => s.DatabaseConnections >= 2, "the pool holds its two connections (and the process may hold others)");
    }
}
