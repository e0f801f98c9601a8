using System.Reflection;
using Npgsql;
using NpgsqlTypes;

namespace EventPlatform.Api.Data;

/// <summary>What <see cref="EventPlatformDatabase.SeedAsync(string, CancellationToken)"/> did.</summary>
/// <param name="Seeded"><see langword="true"/> if it wrote the data; <see langword="false"/> if the database was already seeded (nothing written).</param>
/// <param name="Members">Members in the database.</param>
/// <param name="Events">Events in the database.</param>
public sealed record SeedReport(bool Seeded, int Members, int Events);

/// <summary>
/// The database's schema and seed data. <see cref="SeedAsync(string, CancellationToken)"/> is the one call a test or a
/// fresh deployment needs: it applies the schema and writes <see cref="SeedData"/> once.
/// </summary>
public static class EventPlatformDatabase
{
    /// <summary>The version of the seed data; a database seeded with another version is refused, not mixed.</summary>
    public const int SeedVersion = 1;

    // Advisory lock keys: concurrent starts and seeds of one database take turns instead of racing.
    private const long SchemaLockKey = 0x4576_656E_7453_6368L;
    private const long SeedLockKey = 0x4576_656E_7453_6564L;

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("EventPlatform.Api.Data.Schema.sql")
            ?? throw new InvalidOperationException("The embedded resource EventPlatform.Api.Data.Schema.sql is missing; the build did not embed Data/Schema.sql.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The schema script (Data/Schema.sql): idempotent, safe to run on every start.</summary>
    public static string SchemaScript => Script.Value;

    /// <summary>Creates the tables and indexes that do not exist yet.</summary>
    public static async Task ApplySchemaAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, SchemaScript, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Applies the schema and seeds the database at <paramref name="connectionString"/> with <see cref="SeedData"/>
    /// (2,000 members, 100 events, no RSVPs or payments) in one transaction. A database already seeded with
    /// <see cref="SeedVersion"/> is left as it is.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database holds data but no seed marker, or was seeded by another seed version.</exception>
    public static async Task<SeedReport> SeedAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await SeedAsync(dataSource, cancellationToken);
    }

    /// <summary>As <see cref="SeedAsync(string, CancellationToken)"/>, through an existing data source.</summary>
    public static async Task<SeedReport> SeedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await ApplySchemaAsync(dataSource, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);

        await using (var read = new NpgsqlCommand("SELECT max(seed_version) FROM seed_marker", connection, transaction))
        {
            var seeded = await read.ExecuteScalarAsync(cancellationToken) as int?;
            if (seeded == SeedVersion)
            {
                await transaction.CommitAsync(cancellationToken);
                return new SeedReport(Seeded: false, SeedData.Members, SeedData.Events);
            }

            if (seeded is { } other)
            {
                throw new InvalidOperationException(
                    $"The database '{connection.Database}' was seeded with seed version {other}, but this app seeds version {SeedVersion}. "
                    + "Seed data of two versions cannot be mixed: drop the database (or use a new one) and seed again.");
            }
        }

        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM members) OR EXISTS (SELECT 1 FROM events)", connection, transaction))
        {
            if (await any.ExecuteScalarAsync(cancellationToken) is true)
            {
                throw new InvalidOperationException(
                    $"The database '{connection.Database}' already holds members or events but no seed marker, so it was not seeded by this app. "
                    + "Seed an empty database instead: seeding would collide with the rows that are there.");
            }
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY members (id, email) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var id = 1; id <= SeedData.Members; id++)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(id, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(SeedData.Email(id), NpgsqlDbType.Text, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY events (id, title, starts_at, capacity) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var id = 1; id <= SeedData.Events; id++)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(id, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(SeedData.Title(id), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(SeedData.StartsAt(id), NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(SeedData.Capacity(id), NpgsqlDbType.Integer, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await ExecuteAsync(connection, transaction, $"INSERT INTO seed_marker (seed_version, seeded_at) VALUES ({SeedVersion}, now())", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ExecuteAsync(connection, null, "ANALYZE members, events", cancellationToken);
        return new SeedReport(Seeded: true, SeedData.Members, SeedData.Events);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
