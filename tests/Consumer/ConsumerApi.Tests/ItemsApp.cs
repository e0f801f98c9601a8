using PerfRegression;
using PerfRegression.PostgreSql;

namespace ConsumerApi.Tests;

/// <summary>The app in memory on a fresh copy of the seeded database.</summary>
public sealed class ItemsApp(ItemsDatabase database) : IAsyncLifetime
{
    PostgresDatabase? copy;
    PerfWebApplicationFactory<Program>? factory;

    public ILoadTarget Target { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        copy = await database.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        factory = new PerfWebApplicationFactory<Program>().WithConnectionString("Items", copy.ConnectionString);
        Target = factory.CreateTarget();
    }

    public async ValueTask DisposeAsync()
    {
        if (factory is not null) await factory.DisposeAsync();
        if (copy is not null) await copy.DisposeAsync();
    }
}
