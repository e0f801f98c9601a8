using MealPlanner.Api.Data;
using PerfRegression.PostgreSql;

namespace Perf.Db.Tests.Support;

/// <summary>The sample's schema and seeded data (1,000 recipes, 100 users × 50 favourites) in a template, copied per test class.</summary>
public sealed class SeededDatabase : PostgresFixture
{
    protected override Task SeedAsync(string connectionString, CancellationToken cancellationToken)
        => MealPlannerDatabase.SeedAsync(connectionString, cancellationToken);
}
