using MealPlanner.Api.Data;
using PerfRegression.PostgreSql;

namespace Perf.Api.Tests.Support;

/// <summary>
/// One PostgreSQL server for the whole test assembly (see <see cref="PostgresFixture"/> for where it comes
/// from), seeded once with the sample's data into a template; each test class gets a fresh copy.
/// </summary>
/// <remarks>
/// Autovacuum is off in the cluster this fixture starts. The performance tests' set-up plans weeks for 100
/// users (16,800 rows); with autovacuum on, the table is analysed at some moment of the next minute, often
/// during a measurement, and the planner may switch plans mid-run (seen in the querycapture benchmark: a hash
/// join replacing an index lookup a minute in). That moves latency for reasons unrelated to the code under
/// test, so every run here keeps the plans it starts with.
/// </remarks>
public sealed class MealPlannerDatabaseFixture() : PostgresFixture(new PostgresServerOptions
{
    ServerSettings = new Dictionary<string, string> { ["autovacuum"] = "off" },
})
{
    /// <summary>What seeding the template did, including how long it took.</summary>
    public SeedReport? Seed { get; private set; }

    protected override async Task SeedAsync(string connectionString, CancellationToken cancellationToken)
        => Seed = await MealPlannerDatabase.SeedAsync(connectionString, cancellationToken);
}
