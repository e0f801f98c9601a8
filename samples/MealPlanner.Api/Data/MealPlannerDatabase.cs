using System.Reflection;
using MealPlanner.Api.Auth;
using MealPlanner.Api.Recipes;
using Npgsql;
using NpgsqlTypes;

namespace MealPlanner.Api.Data;

/// <summary>What <see cref="MealPlannerDatabase.SeedAsync(string, CancellationToken)"/> did.</summary>
/// <param name="Seeded"><see langword="true"/> if it wrote the data; <see langword="false"/> if the database was already seeded (nothing written).</param>
/// <param name="Recipes">Recipes in the database.</param>
/// <param name="Ingredients">Recipe ingredient lines in the database.</param>
/// <param name="Users">Users in the database.</param>
/// <param name="Favourites">Favourites in the database.</param>
/// <param name="Elapsed">How long the call took, schema included.</param>
public sealed record SeedReport(bool Seeded, int Recipes, int Ingredients, int Users, int Favourites, TimeSpan Elapsed);

/// <summary>
/// The database's schema and seed data. <see cref="SeedAsync(string, CancellationToken)"/> is the one
/// call a test or a fresh deployment needs: it applies the schema and writes the deterministic data set
/// (the <see cref="RecipeCatalogue"/>, <see cref="SeedUsers"/> and their favourites) once.
/// </summary>
public static class MealPlannerDatabase
{
    /// <summary>The version of the seed data; a database seeded with another version is refused, not mixed.</summary>
    public const int SeedVersion = 1;

    // Advisory lock keys: concurrent starts and seeds of one database take turns instead of racing.
    private const long SchemaLockKey = 0x4D65616C_506C616EL;
    private const long SeedLockKey = 0x4D65616C_53656564L;

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MealPlanner.Api.Data.Schema.sql")
            ?? throw new InvalidOperationException("The embedded resource MealPlanner.Api.Data.Schema.sql is missing; the build did not embed Data/Schema.sql.");
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
    /// Applies the schema and seeds the database at <paramref name="connectionString"/>: 1,000 recipes with
    /// their ingredients, 100 users and 50 favourites each, by binary COPY in one transaction. A database
    /// already seeded with <see cref="SeedVersion"/> is left as it is (the call is then a cheap no-op).
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
        var started = TimeProvider.System.GetTimestamp();
        await ApplySchemaAsync(dataSource, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);

        var seeded = await ReadSeedVersionAsync(connection, transaction, cancellationToken);
        if (seeded == SeedVersion)
        {
            await transaction.CommitAsync(cancellationToken);
            return await CountAsync(connection, seeded: false, started, cancellationToken);
        }

        if (seeded is { } other)
        {
            throw new InvalidOperationException(
                $"The database '{connection.Database}' was seeded with seed version {other}, but this app seeds version {SeedVersion}. "
                + "Seed data of two versions cannot be mixed: drop the database (or use a new one) and seed again.");
        }

        if (await ScalarAsync<bool>(connection, transaction, "SELECT EXISTS (SELECT 1 FROM recipes) OR EXISTS (SELECT 1 FROM users)", cancellationToken))
        {
            throw new InvalidOperationException(
                $"The database '{connection.Database}' already holds recipes or users but no seed marker, so it was not seeded by this app. "
                + "Seed an empty database instead: seeding would collide with the rows that are there.");
        }

        // PBKDF2 is the slow part: hash on every core while the recipes are copied.
        var hashing = Task.Run(HashPasswords, cancellationToken);
        var catalogue = RecipeCatalogue.Generate().Recipes;
        await CopyRecipesAsync(connection, catalogue, cancellationToken);
        await CopyUsersAsync(connection, await hashing, cancellationToken);
        await CopyFavouritesAsync(connection, SeedUsers.Favourites(catalogue), cancellationToken);
        await ExecuteAsync(connection, transaction, $"INSERT INTO seed_marker (seed_version, seeded_at) VALUES ({SeedVersion}, now())", cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Fresh statistics, so that the planner's choices (and EXPLAIN) reflect the data from the first query.
        await ExecuteAsync(connection, null, "ANALYZE users, recipes, recipe_ingredients, favourites", cancellationToken);
        return await CountAsync(connection, seeded: true, started, cancellationToken);
    }

    private static string[] HashPasswords()
    {
        var hashes = new string[SeedUsers.Count];
        Parallel.For(0, hashes.Length, i => hashes[i] = PasswordHasher.Hash(SeedUsers.Password(i + 1)));
        return hashes;
    }

    private static async Task CopyRecipesAsync(NpgsqlConnection connection, IReadOnlyList<Recipe> recipes, CancellationToken cancellationToken)
    {
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY recipes (id, name, meal_type, prep_minutes, main_ingredient, dietary_tags) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var recipe in recipes)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(recipe.Id, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(recipe.Name, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(MealTypes.ToText(recipe.MealType), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(recipe.PrepMinutes, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(recipe.MainIngredient, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(recipe.DietaryTags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY recipe_ingredients (recipe_id, position, name, quantity, unit) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var recipe in recipes)
            {
                for (var position = 0; position < recipe.Ingredients.Count; position++)
                {
                    var ingredient = recipe.Ingredients[position];
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(recipe.Id, NpgsqlDbType.Integer, cancellationToken);
                    await writer.WriteAsync((short)position, NpgsqlDbType.Smallint, cancellationToken);
                    await writer.WriteAsync(ingredient.Name, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(ingredient.Quantity, NpgsqlDbType.Numeric, cancellationToken);
                    await writer.WriteAsync(ingredient.Unit, NpgsqlDbType.Text, cancellationToken);
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }
    }

    private static async Task CopyUsersAsync(NpgsqlConnection connection, string[] passwordHashes, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY users (id, email, password_hash, dietary_preferences) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var number = 1; number <= SeedUsers.Count; number++)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(number, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(SeedUsers.Email(number), NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(passwordHashes[number - 1], NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(SeedUsers.PreferencesOf(number).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task CopyFavouritesAsync(NpgsqlConnection connection, IReadOnlyList<int[]> favourites, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync("COPY favourites (user_id, recipe_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var number = 1; number <= favourites.Count; number++)
        {
            foreach (var recipeId in favourites[number - 1])
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(number, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(recipeId, NpgsqlDbType.Integer, cancellationToken);
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task<int?> ReadSeedVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT max(seed_version) FROM seed_marker", connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken) is int version ? version : null;
    }

    private static async Task<SeedReport> CountAsync(NpgsqlConnection connection, bool seeded, long started, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM recipes), (SELECT count(*) FROM recipe_ingredients), (SELECT count(*) FROM users), (SELECT count(*) FROM favourites)", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SeedReport(
            seeded,
            (int)reader.GetInt64(0),
            (int)reader.GetInt64(1),
            (int)reader.GetInt64(2),
            (int)reader.GetInt64(3),
            TimeProvider.System.GetElapsedTime(started));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
