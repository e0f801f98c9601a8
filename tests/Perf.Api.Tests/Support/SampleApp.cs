using System.Net;
using System.Net.Http.Json;
using MealPlanner.Api.Data;

namespace Perf.Api.Tests.Support;

/// <summary>
/// A test class's app: a fresh copy of the seeded database and MealPlanner.Api on it. Tests of one class
/// share it, so tests that change data (plans, favourites, preferences) each use users of their own.
/// </summary>
public sealed class SampleApp : IAsyncLifetime
{
    private PerfRegression.PostgreSql.PostgresDatabase? _database;
    private MealPlannerFactory? _factory;

    /// <summary>The database.</summary>
    public PerfRegression.PostgreSql.PostgresDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The app.</summary>
    public MealPlannerFactory Factory => _factory ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async ValueTask InitializeAsync()
    {
        _database = await SampleDatabase.CreateAsync();
        _factory = new MealPlannerFactory(_database.ConnectionString);
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

    /// <summary>A client without a session (it keeps cookies the app sets).</summary>
    public HttpClient Anonymous() => Factory.CreateClient();

    /// <summary>A client logged in as seeded user <paramref name="number"/>.</summary>
    public Task<HttpClient> LogInAsync(int number) => LogInAsync(Factory, number);

    /// <summary>A client of <paramref name="factory"/> logged in as seeded user <paramref name="number"/>.</summary>
    public static async Task<HttpClient> LogInAsync(MealPlannerFactory factory, int number)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync(
            "/auth/login", new { email = SeedUsers.Email(number), password = SeedUsers.Password(number) }, TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return client;
    }
}
