using MealPlanner.Api.Data;
using PerfRegression.PostgreSql;

namespace Perf.Api.Tests.Support;

/// <summary>
/// Fresh copies of the seeded sample database for tests and fixtures, from the assembly's
/// <see cref="MealPlannerDatabaseFixture"/> (a real PostgreSQL server found or started by the library).
/// </summary>
public static class SampleDatabase
{
    /// <summary>What seeding the template did, including how long it took.</summary>
    public static Task<SeedReport> TemplateSeed => SeedAsync();

    /// <summary>A fresh copy of the seeded template; dispose it to drop it.</summary>
    public static async Task<PostgresDatabase> CreateAsync()
        => await (await FixtureAsync()).CreateDatabaseAsync(TestContext.Current.CancellationToken);

    private static async Task<SeedReport> SeedAsync()
        => (await FixtureAsync()).Seed ?? throw new InvalidOperationException("The template database was not seeded.");

    private static async Task<MealPlannerDatabaseFixture> FixtureAsync()
        => await TestContext.Current.GetFixture<MealPlannerDatabaseFixture>()
            ?? throw new InvalidOperationException("MealPlannerDatabaseFixture is not registered: add [assembly: AssemblyFixture(typeof(MealPlannerDatabaseFixture))].");
}
