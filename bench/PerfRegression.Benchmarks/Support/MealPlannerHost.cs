extern alias SampleApp;

using System.Globalization;
using System.Security.Cryptography;
using MealPlanner.Api.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using PerfRegression.PostgreSql;

namespace PerfRegression.Benchmarks.Support;

/// <summary>
/// The sample app (samples/MealPlanner.Api) as its performance tests host it: a PostgreSQL server found or started
/// by the library (<see cref="PostgresServer"/>: a connection string in the environment, Docker, or a throwaway
/// local cluster), the seed loaded once into a template and the app run on a copy of it, in the Production
/// environment on the in-memory TestServer, with a fresh signing key and "today" pinned to <see cref="Today"/>.
/// Disposing stops the app, drops the copy and stops what the server start started.
/// </summary>
internal sealed class MealPlannerHost : IAsyncDisposable
{
    /// <summary>The date the app believes it is: a Monday, so the current week is 2026-11-23.</summary>
    public static readonly DateOnly Today = new(2026, 11, 23);

    /// <summary>
    /// Where a local cluster is created: apart from the library's default directory, which test runs use. Every start
    /// removes the clusters in its directory whose owner process has exited (it names an owner by its PID and start
    /// time in clock ticks from /proc); a directory of the benchmarks' own keeps a benchmark's cluster out of the test
    /// runs' housekeeping and theirs out of its.
    /// </summary>
    private static readonly string ClustersDirectory = Path.Combine(Path.GetTempPath(), "perfregression-bench-postgres");

    private readonly PostgresServer _server;
    private readonly PostgresDatabase _database;
    private readonly PerfWebApplicationFactory<SampleApp::Program> _factory;

    private MealPlannerHost(PostgresServer server, PostgresDatabase database, PerfWebApplicationFactory<SampleApp::Program> factory, ILoadTarget target, string description)
    {
        _server = server;
        _database = database;
        _factory = factory;
        Target = target;
        Description = description;
    }

    /// <summary>Where the server came from, how long seeding took, which database the app uses.</summary>
    public string Description { get; }

    /// <summary>The app on the in-memory TestServer; each virtual user gets its own client and cookies.</summary>
    public ILoadTarget Target { get; }

    public static async Task<MealPlannerHost> StartAsync(CancellationToken cancellationToken)
    {
        var server = await PostgresServer.StartAsync(new PostgresServerOptions { ClustersDirectory = ClustersDirectory }, cancellationToken);
        PostgresDatabase? database = null;
        PerfWebApplicationFactory<SampleApp::Program>? factory = null;
        try
        {
            SeedReport? seed = null;
            var template = await server.CreateTemplateAsync("mealplanner", async (cs, ct) => seed = await MealPlannerDatabase.SeedAsync(cs, ct), cancellationToken);
            database = await server.CreateDatabaseAsync(template, cancellationToken);
            var clock = new PinnedClock(new DateTimeOffset(Today, new TimeOnly(12, 0), TimeSpan.Zero));
            factory = new PerfWebApplicationFactory<SampleApp::Program>()
                .WithConnectionString(DatabaseOptions.ConnectionStringName, database.ConnectionString)
                .WithSetting("Auth:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
                .WithSetting("Auth:LoginPermitLimit", "1000000") // every virtual user logs in from one address: never throttle the bench

                // The sample logs each log-in at Information to the console; the measured routes log nothing. Quiet output.
                .WithSetting("Logging:LogLevel:Default", "Warning")
                .WithServices(services =>
                {
                    services.RemoveAll<TimeProvider>();
                    services.AddSingleton<TimeProvider>(clock);
                });

            // Start the app now (it applies its schema to the copy before serving), so a failure shows here.
            factory.StartServer();
            var target = factory.CreateTarget();
            var description = string.Create(CultureInfo.InvariantCulture,
                $"{server.Description}; seeded {seed?.Recipes} recipes and {seed?.Users} users in {seed?.Elapsed.TotalSeconds:0.0} s; the app runs on a copy, {database.Name}");
            return new MealPlannerHost(server, database, factory, target, description);
        }
        catch
        {
            if (factory is not null)
            {
                await factory.DisposeAsync();
            }

            if (database is not null)
            {
                await database.DisposeAsync();
            }

            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Refreshes the planner's statistics of the app's database (<c>ANALYZE</c>), e.g. after set-up wrote plans. Without
    /// it autovacuum does so on its own schedule, about a minute in, and plans change mid-run: the plan calendar's query
    /// goes from 21 index lookups into recipes to a hash join over all 1,000 of them, ~60% more PostgreSQL CPU per request.
    /// </summary>
    public async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("ANALYZE", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _factory.DisposeAsync();
        }
        finally
        {
            try
            {
                await _database.DisposeAsync();
            }
            finally
            {
                await _server.DisposeAsync();
            }
        }
    }
}
