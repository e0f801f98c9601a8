using Microsoft.Extensions.Options;
using Npgsql;

namespace EventPlatform.Api.Data;

/// <summary>Where the data lives: the connection string <c>ConnectionStrings:EventPlatform</c> (no default), and whether to seed on start.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The name of the connection string: <c>ConnectionStrings:EventPlatform</c>.</summary>
    public const string ConnectionStringName = "EventPlatform";

    /// <summary>The PostgreSQL connection string, from <c>ConnectionStrings:EventPlatform</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether the app seeds an empty database when it starts (<c>Database:SeedOnStart</c>), handy for a local run; it always applies the schema.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool SeedOnStart { get; set; }
}

/// <summary>Checks <see cref="DatabaseOptions"/> at start, saying what to set and how.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    private const string HowToSet =
        "Set it to a PostgreSQL connection string, e.g. with the environment variable "
        + "ConnectionStrings__EventPlatform=\"Host=127.0.0.1;Port=5432;Database=eventplatform;Username=eventplatform;Password=...\" "
        + "or `dotnet user-secrets set ConnectionStrings:EventPlatform \"...\"` in samples/EventPlatform.Api. "
        + "The app creates its tables on start; set Database__SeedOnStart=true to also seed an empty database.";

    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:EventPlatform is not set. The app keeps members, events, RSVPs and payments in PostgreSQL and cannot start without it. {HowToSet}");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:EventPlatform is not a valid connection string: {ex.Message} {HowToSet}");
        }

        return ValidateOptionsResult.Success;
    }
}

/// <summary>Applies the schema (and seeds, if asked) before the app serves requests.</summary>
internal sealed class DatabaseStartup(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options) : IHostedLifecycleService
{
    // Starting runs before any hosted service's StartAsync, the server's included.
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (options.Value.SeedOnStart)
            {
                await EventPlatformDatabase.SeedAsync(dataSource, cancellationToken);
            }
            else
            {
                await EventPlatformDatabase.ApplySchemaAsync(dataSource, cancellationToken);
            }
        }
        catch (NpgsqlException ex)
        {
            // Names the server and database (never the password) so that a wrong setting is obvious.
            var target = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
            throw new InvalidOperationException(
                $"The app could not prepare its database '{target.Database}' on {target.Host}:{target.Port} as user '{target.Username}': {ex.Message} "
                + "Check that the server runs and accepts this user, and that ConnectionStrings:EventPlatform names the right database.",
                ex);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
