using Perf.Api.Tests.Support;
using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// The app under load for one test class: MealPlanner.Api on an in-memory TestServer over a fresh copy of
/// the seeded database. With <c>PERF_BASE_URL</c> set (e.g. <c>PERF_BASE_URL=https://staging.example.com/</c>)
/// the same tests send their load to that deployment instead, and no local host is started. (The pinned
/// "today" of <see cref="MealPlannerFactory"/> holds only in-process: a deployment plans around its own date.)
/// </summary>
public sealed class MealPlannerFixture : IAsyncLifetime
{
    private PerfRegression.PostgreSql.PostgresDatabase? _database;
    private MealPlannerFactory? _factory;

    /// <summary>Where the load goes.</summary>
    public ILoadTarget Target { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await SampleDatabase.CreateAsync();
        _factory = new MealPlannerFactory(_database.ConnectionString);
        Target = LoadTarget.FromEnvironment(() => LoadTarget.InMemory(_factory));
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
