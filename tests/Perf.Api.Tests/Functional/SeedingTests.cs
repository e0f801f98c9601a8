using MealPlanner.Api.Auth;
using MealPlanner.Api.Data;
using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using Npgsql;
using Perf.Api.Tests.Support;

namespace Perf.Api.Tests.Functional;

/// <summary>
/// <see cref="MealPlannerDatabase.SeedAsync(string, CancellationToken)"/>: the documented data set, fast,
/// written once (a second call is a no-op), and chosen so that every user can be planned for.
/// </summary>
public sealed class SeedingTests(SampleApp app) : IClassFixture<SampleApp>
{
    [Fact]
    public async Task Seeding_wrote_the_catalogue_users_and_favourites_in_a_few_seconds()
    {
        var report = await SampleDatabase.TemplateSeed;
        TestContext.Current.TestOutputHelper?.WriteLine($"Seeding the template took {report.Elapsed.TotalSeconds:0.00} s.");

        report.Seeded.Should().BeTrue();
        report.Recipes.Should().Be(1000);
        report.Users.Should().Be(100);
        report.Favourites.Should().Be(100 * 50);
        report.Ingredients.Should().Be(RecipeCatalogue.Generate().Recipes.Sum(r => r.Ingredients.Count));
        report.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "seeding is bulk COPY with hashing in parallel; it takes a few seconds");
    }

    [Fact]
    public async Task Every_recipe_has_6_to_15_ingredients_as_generated()
    {
        var counts = await QueryAsync("SELECT recipe_id, count(*)::int FROM recipe_ingredients GROUP BY recipe_id ORDER BY recipe_id", r => (Id: r.GetInt32(0), Count: r.GetInt32(1)));

        counts.Should().HaveCount(1000);
        counts.Should().AllSatisfy(c => c.Count.Should().BeInRange(6, 15, $"recipe {c.Id}"));
        counts.Should().Equal(RecipeCatalogue.Generate().Recipes.Select(r => (r.Id, r.Ingredients.Count)));
    }

    [Fact]
    public async Task Users_are_the_documented_ones_with_50_favourites_and_salted_pbkdf2_hashes()
    {
        var users = await QueryAsync(
            "SELECT u.id, u.email, u.password_hash, u.dietary_preferences, (SELECT count(*)::int FROM favourites f WHERE f.user_id = u.id) FROM users u ORDER BY u.id",
            r => (Id: r.GetInt32(0), Email: r.GetString(1), Hash: r.GetString(2), Preferences: r.GetFieldValue<string[]>(3), Favourites: r.GetInt32(4)));

        users.Select(u => u.Id).Should().Equal(Enumerable.Range(1, 100));
        users.Should().AllSatisfy(u =>
        {
            u.Email.Should().Be(SeedUsers.Email(u.Id));
            u.Preferences.Should().Equal(SeedUsers.PreferencesOf(u.Id));
            u.Favourites.Should().Be(50);
            u.Hash.Should().StartWith("pbkdf2-sha256$100000$");
        });
        users.Select(u => u.Hash.Split('$')[2]).Should().OnlyHaveUniqueItems("every hash has its own random salt");
        PasswordHasher.Verify(SeedUsers.Password(42), users[41].Hash, out var iterations).Should().BeTrue();
        iterations.Should().Be(PasswordHasher.DefaultIterations);
        PasswordHasher.Verify(SeedUsers.Password(43), users[41].Hash, out _).Should().BeFalse();
        users.Count(u => u.Preferences.Length > 0).Should().Be(50, "half the users have dietary preferences");
    }

    [Fact]
    public async Task Every_user_can_be_planned_for_eight_weeks()
    {
        var favourites = (await QueryAsync(
            "SELECT f.user_id, r.id, r.name, r.meal_type, r.prep_minutes, r.main_ingredient, r.dietary_tags FROM favourites f JOIN recipes r ON r.id = f.recipe_id",
            r => (User: r.GetInt32(0), Recipe: new RecipeSummary(r.GetInt32(1), r.GetString(2), MealTypes.Parse(r.GetString(3)), r.GetInt32(4), r.GetString(5), r.GetFieldValue<string[]>(6)))))
            .ToLookup(f => f.User, f => f.Recipe);
        var weeks = Enumerable.Range(0, 8).Select(w => new WeekToPlan(PlanChecks.CurrentWeek.AddDays(7 * w), 1)).ToArray();

        for (var user = 1; user <= SeedUsers.Count; user++)
        {
            var outcome = MealPlanGenerator.Plan(user, [.. favourites[user]], SeedUsers.PreferencesOf(user), weeks, []);
            outcome.Succeeded.Should().BeTrue($"user {user} must be plannable: {outcome.Problem} {string.Join("; ", outcome.Shortfalls.Select(s => s.Message))}");
        }
    }

    [Fact]
    public async Task Seeding_a_seeded_database_again_changes_nothing()
    {
        await using var copy = await SampleDatabase.CreateAsync();
        var before = await FingerprintAsync(copy.ConnectionString);

        var report = await MealPlannerDatabase.SeedAsync(copy.ConnectionString, TestContext.Current.CancellationToken);

        report.Seeded.Should().BeFalse();
        (report.Recipes, report.Users, report.Favourites).Should().Be((1000, 100, 5000));
        (await FingerprintAsync(copy.ConnectionString)).Should().Be(before);
        report.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "a no-op only applies the schema and reads the marker");
    }

    [Fact]
    public async Task Seeding_refuses_a_database_of_another_seed_version()
    {
        await using var copy = await SampleDatabase.CreateAsync();
        await ExecuteAsync(copy.ConnectionString, "UPDATE seed_marker SET seed_version = 99");

        var seed = () => MealPlannerDatabase.SeedAsync(copy.ConnectionString, TestContext.Current.CancellationToken);

        (await seed.Should().ThrowAsync<InvalidOperationException>()).WithMessage(
            $"The database '{copy.Name}' was seeded with seed version 99, but this app seeds version 1. Seed data of two versions cannot be mixed: drop the database (or use a new one) and seed again.");
    }

    [Fact]
    public async Task Seeding_refuses_a_database_with_data_it_did_not_write()
    {
        await using var copy = await SampleDatabase.CreateAsync();
        await ExecuteAsync(copy.ConnectionString, "DELETE FROM seed_marker");

        var seed = () => MealPlannerDatabase.SeedAsync(copy.ConnectionString, TestContext.Current.CancellationToken);

        (await seed.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*already holds recipes or users but no seed marker*");
    }

    [Fact]
    public async Task The_schema_script_can_be_applied_again()
    {
        await using var dataSource = NpgsqlDataSource.Create(app.Database.ConnectionString);
        await MealPlannerDatabase.ApplySchemaAsync(dataSource, TestContext.Current.CancellationToken);
        await MealPlannerDatabase.ApplySchemaAsync(dataSource, TestContext.Current.CancellationToken);

        var indexes = await QueryAsync("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname", r => r.GetString(0));
        indexes.Should().Contain(["ux_users_email", "ix_recipes_name_id", "ix_recipes_name_trgm", "recipe_ingredients_pkey", "favourites_pkey", "planned_meals_pkey", "plan_weeks_pkey"]);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    // A digest of every seeded row: equal digests, equal data.
    private static async Task<string> FingerprintAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT md5((SELECT string_agg(r::text, '|' ORDER BY id) FROM recipes r) || (SELECT string_agg(i::text, '|' ORDER BY recipe_id, position) FROM recipe_ingredients i) "
            + "|| (SELECT string_agg(u::text, '|' ORDER BY id) FROM users u) || (SELECT string_agg(f::text, '|' ORDER BY user_id, recipe_id) FROM favourites f) "
            + "|| (SELECT string_agg(m::text, '|') FROM seed_marker m))",
            connection);
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
