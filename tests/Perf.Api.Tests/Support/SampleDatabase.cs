using MealPlanner.Api.Data;
using Npgsql;

namespace Perf.Api.Tests.Support;

/// <summary>
/// A seeded MealPlanner database of its own for a test class, until the library's PostgreSQL fixture
/// replaces this class. The server comes from <c>PERF_POSTGRES_CONNECTION_STRING</c>; the first use in a
/// test run seeds the template database <c>mealplanner_template</c> (dropped and re-created, so it is never
/// stale), and every instance is a fresh copy of it (<c>CREATE DATABASE … TEMPLATE</c>, a file copy taking
/// a fraction of a second), dropped on dispose.
/// </summary>
public sealed class SampleDatabase : IAsyncDisposable
{
    /// <summary>The environment variable with the server's connection string.</summary>
    public const string ServerVariable = "PERF_POSTGRES_CONNECTION_STRING";

    /// <summary>The template every copy is made from.</summary>
    public const string TemplateName = "mealplanner_template";

    // One template per test run; a failure is kept and rethrown in every test that needs a database.
    private static readonly Lazy<Task<SeedReport>> Template = new(CreateTemplateAsync);

    // CREATE DATABASE … TEMPLATE needs the template to itself: copies are made one at a time.
    private static readonly SemaphoreSlim CopyGate = new(1, 1);

    private SampleDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The copy's database name.</summary>
    public string Name { get; }

    /// <summary>The connection string of the copy.</summary>
    public string ConnectionString { get; }

    /// <summary>What seeding the template did, including how long it took.</summary>
    public static Task<SeedReport> TemplateSeed => Template.Value;

    /// <summary>A fresh copy of the seeded template.</summary>
    public static async Task<SampleDatabase> CreateAsync()
    {
        await Template.Value;
        var name = $"mealplanner_test_{Guid.NewGuid():N}";
        await CopyGate.WaitAsync();
        try
        {
            await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {TemplateName}");
        }
        finally
        {
            CopyGate.Release();
        }

        return new SampleDatabase(name, ConnectionStringFor(name));
    }

    /// <summary>Drops the copy, closing any connection still open to it.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task<SeedReport> CreateTemplateAsync()
    {
        await ExecuteAsync($"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)");
        await ExecuteAsync($"CREATE DATABASE {TemplateName}");
        return await MealPlannerDatabase.SeedAsync(ConnectionStringFor(TemplateName), CancellationToken.None);
    }

    private static string ConnectionStringFor(string database)
        => new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Database = database }.ConnectionString;

    private static string ServerConnectionString()
    {
        var value = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"The functional tests need a PostgreSQL server and {ServerVariable} is not set. Set it to a connection string of a user that may create "
                + "databases, e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres (the database named is only used to create the test databases).");
        }

        return value;
    }

    // Pooling off: an idle pooled connection to the template would block the next copy.
    private static async Task ExecuteAsync(string sql)
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
