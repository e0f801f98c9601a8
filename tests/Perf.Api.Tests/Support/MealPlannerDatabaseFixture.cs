using MealPlanner.Api.Data;
using PerfRegression.PostgreSql;

namespace Perf.Api.Tests.Support;

/// <summary>
/// One PostgreSQL server for the whole test assembly (see <see cref="PostgresFixture"/> for where it comes
/// from), seeded once with the sample's data into a template; each test class gets a fresh copy.
/// </summary>
public sealed class MealPlannerDatabaseFixture : PostgresFixture
{
    /// <summary>What seeding the template did, including how long it took.</summary>
    public SeedReport? Seed { get; private set; }

    protected override async Task SeedAsync(string connectionString, CancellationToken cancellationToken)
        => Seed = await MealPlannerDatabase.SeedAsync(connectionString, cancellationToken);
}
