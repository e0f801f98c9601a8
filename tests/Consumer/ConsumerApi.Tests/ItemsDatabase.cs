using Npgsql;
using PerfRegression.PostgreSql;

namespace ConsumerApi.Tests;

/// <summary>The app's one table, 100 rows, seeded once into the template that each test class copies.</summary>
public sealed class ItemsDatabase : PostgresFixture
{
    protected override async Task SeedAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 100) i;",
            connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
