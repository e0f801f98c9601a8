using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PerfRegression;
using PerfRegression.PostgreSql;

namespace Perf.Db.Tests.Support;

/// <summary>
/// MealPlanner.Api on a fresh copy of the seeded database, through the library's factory, with today pinned
/// to Monday 2026-11-23 and a signing key generated for the run. <see cref="Naive"/> adds the test project's
/// deliberately naive endpoints (see NaiveVariants/).
/// </summary>
public sealed class SampleApp(SeededDatabase database) : IAsyncLifetime
{
    private PostgresDatabase? _copy;
    private PerfWebApplicationFactory<Program>? _factory;

    public ILoadTarget Target { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _copy = await database.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _factory = new PerfWebApplicationFactory<Program>()
            .WithConnectionString("MealPlanner", _copy.ConnectionString)
            .WithSetting("Auth:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .WithSetting("Auth:LoginPermitLimit", "1000000") // every virtual user logs in from one address: never throttle the suite
            .WithServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)));
                services.AddTransient<IStartupFilter, NaiveVariants.NaiveEndpoints>();
            });
        Target = _factory.CreateTarget();
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_copy is not null)
        {
            await _copy.DisposeAsync();
        }
    }
}
