using System.Collections.Concurrent;
using System.Globalization;
using DotNet.Testcontainers.Builders;
using Npgsql;
using PerfRegression.Measurement;
using Testcontainers.PostgreSql;

namespace PerfRegression.PostgreSql;

/// <summary>
/// A PostgreSQL server for tests, found or started in this order: a connection string in
/// <c>PERF_POSTGRES_CONNECTION_STRING</c>; a Testcontainers container when a Docker engine answers; a
/// throwaway cluster from the local PostgreSQL binaries. When none works, start-up fails with what each
/// reported and how to get it working: tests never skip silently for want of a database.
/// </summary>
/// <remarks>
/// Seed once into a template (<see cref="CreateTemplateAsync"/>), then give each test a fresh copy
/// (<see cref="CreateDatabaseAsync"/>): every test starts from identical data in a few tens of milliseconds.
/// Disposing stops and deletes what this server started, and drops the databases it created.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, PostgresServer> Known = new(StringComparer.OrdinalIgnoreCase);
    private readonly LocalCluster? _cluster;
    private readonly PostgreSqlContainer? _container;
    private readonly NpgsqlConnectionStringBuilder _baseConnection;
    private readonly ConcurrentDictionary<string, byte> _created = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _dropped = new(StringComparer.Ordinal);
    private readonly string _runId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
    private readonly IDisposable? _serverProcesses;
    private int _databaseCounter;
    private int _disposed;

    static PostgresServer() => ConnectionLoss.EnsureRegistered();

    private PostgresServer(PostgresProvider provider, string connectionString, string description, LocalCluster? cluster, PostgreSqlContainer? container)
    {
        Provider = provider;
        _baseConnection = new NpgsqlConnectionStringBuilder(connectionString);
        Description = description;
        _cluster = cluster;
        _container = container;
        if (cluster is not null)
        {
            // A crashed test host leaves no server behind: the next start removes the directory, and a normal
            // exit without dispose stops the server here.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopOnExit();

            // The cluster works for the system under test: its CPU is not a disturbance of the measurement.
            if (cluster.PostmasterProcessId is > 0 and var postmaster)
            {
                _serverProcesses = ServerProcesses.Register(postmaster, "PostgreSQL");
            }
        }
    }

    /// <summary>Which provider supplied this server.</summary>
    public PostgresProvider Provider { get; }

    /// <summary>A one-line description for test output, e.g. <c>local cluster (PostgreSQL 15.18) on 127.0.0.1:41873, ready in 0.7 s</c>.</summary>
    public string Description { get; private set; }

    /// <summary>How long finding or starting the server took, until it answered a query.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The server's version, e.g. <c>15.18</c>.</summary>
    public string ServerVersion { get; private set; } = string.Empty;

    /// <summary>Whether <c>pg_stat_statements</c> is loaded, so the server's own statement statistics can be read.</summary>
    public bool HasStatementStatistics { get; private set; }

    /// <summary>A connection string to the server's maintenance database (<c>postgres</c> unless the variable names another).</summary>
    public string ConnectionString => _baseConnection.ConnectionString;

    /// <summary>
    /// Finds or starts a server (see the type's remarks for the order). Writes nothing: callers put
    /// <see cref="Description"/> into their test output.
    /// </summary>
    /// <exception cref="PerfConfigurationException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="PostgresUnavailableException">No provider could supply a server; the message lists each one's reason and fix.</exception>
    public static async Task<PostgresServer> StartAsync(PostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PostgresServerOptions();
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new PerfConfigurationException(nameof(PostgresServerOptions), problems);
        }

        var time = options.TimeProvider;
        var started = time.GetTimestamp();
        var server = await ResolveAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            await server.InspectAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        server.StartupTime = time.GetElapsedTime(started);
        Known[server.Endpoint] = server;
        server.Description = string.Create(CultureInfo.InvariantCulture,
            $"{server.Description} (PostgreSQL {server.ServerVersion}{(server.HasStatementStatistics ? ", pg_stat_statements on" : string.Empty)}), ready in {server.StartupTime.TotalSeconds:0.0} s");
        return server;
    }

    /// <summary>The server's address as <c>host:port</c>, as Npgsql's traces name it.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{_baseConnection.Host}:{_baseConnection.Port}");

    /// <summary>The servers this process started or was named that are still running.</summary>
    internal static IReadOnlyCollection<PostgresServer> Running => [.. Known.Values];

    /// <summary>The running server at <paramref name="endpoint"/> (<c>host:port</c>) started or named by this process, if any.</summary>
    internal static PostgresServer? Find(string? endpoint) => endpoint is not null && Known.TryGetValue(endpoint, out var server) ? server : null;

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string GetConnectionString(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return new NpgsqlConnectionStringBuilder(_baseConnection.ConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>
    /// Creates a template database named after <paramref name="name"/> and runs <paramref name="seed"/> on it
    /// once (it receives the template's connection string). Copies made from it with
    /// <see cref="CreateDatabaseAsync"/> start from exactly that data.
    /// </summary>
    /// <returns>The template's database name, to pass to <see cref="CreateDatabaseAsync"/>.</returns>
    public async Task<string> CreateTemplateAsync(string name, Func<string, CancellationToken, Task> seed, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(seed);
        var template = Identifier($"{name}_{_runId}");
        await ExecuteAsync($"CREATE DATABASE {template}", cancellationToken).ConfigureAwait(false);
        _created.TryAdd(template, 0);
        var connectionString = GetConnectionString(template);
        try
        {
            await seed(connectionString, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"Seeding the template database '{template}' failed: {ex.Message} Fix the seed; every test copies this template.", ex);
        }
        finally
        {
            // A copy needs the template to have no connections: close the seed's pooled ones.
            using var seeded = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(seeded);
        }

        await ExecuteAsync($"ALTER DATABASE {template} WITH IS_TEMPLATE true", cancellationToken).ConfigureAwait(false);
        return template;
    }

    /// <summary>
    /// Creates an empty database, or a copy of <paramref name="template"/>, with a unique name. Dispose it to
    /// drop it; databases still present when the server is disposed are dropped then.
    /// </summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync(string? template = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        var name = Identifier($"perf_{_runId}_{Interlocked.Increment(ref _databaseCounter)}");
        var started = TimeProvider.System.GetTimestamp();
        var sql = template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {Identifier(template)}";
        try
        {
            await ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && template is not null)
        {
            throw new InvalidOperationException(
                $"Copying the template '{template}' failed because something is still connected to it ({ex.MessageText}). "
                + "Connect to the copies only, never to the template; close connections opened during seeding (NpgsqlConnection.ClearPool).", ex);
        }

        _created.TryAdd(name, 0);
        return new PostgresDatabase(this, name, template, GetConnectionString(name), TimeProvider.System.GetElapsedTime(started));
    }

    /// <summary>Stops and deletes what this instance started, and drops the databases it created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Known.TryRemove(new KeyValuePair<string, PostgresServer>(Endpoint, this));
        _serverProcesses?.Dispose();
        NpgsqlConnection.ClearAllPools();
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
        else if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            // A server we do not own: leave it as we found it.
            foreach (var name in _created.Keys)
            {
                await DropAsync(name, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    internal async Task DropAsync(string name, CancellationToken cancellationToken)
    {
        if (_disposed == 1 && Provider != PostgresProvider.ConnectionString)
        {
            return;
        }

        using (var pooled = new NpgsqlConnection(GetConnectionString(name)))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        try
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS {Identifier(name)} WITH (FORCE)", cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The server is going away (or gone): nothing is left to drop.
        }

        if (_created.TryRemove(name, out _))
        {
            _dropped.TryAdd(name, 0);
        }
    }

    /// <summary>Whether <paramref name="database"/> was created on this server and has been dropped (its <see cref="PostgresDatabase"/> disposed).</summary>
    internal bool WasDropped(string database) => _dropped.ContainsKey(database);

    private static async Task<PostgresServer> ResolveAsync(PostgresServerOptions options, CancellationToken cancellationToken)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(options.ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // The user named a server: use it or fail, never fall back to another one silently.
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(fromEnvironment);
            }
            catch (ArgumentException ex)
            {
                throw new PostgresUnavailableException(
                    $"The environment variable {options.ConnectionStringVariable} is not a valid Npgsql connection string ({ex.Message}). "
                    + "Set it like Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres, or unset it to let the tests start their own server.", ex);
            }

            builder.Database ??= "postgres";
            return new PostgresServer(PostgresProvider.ConnectionString, builder.ConnectionString,
                $"server from {options.ConnectionStringVariable} ({builder.Host}:{builder.Port})", cluster: null, container: null);
        }

        string containerReason;
        if (options.UseTestcontainers)
        {
            try
            {
                var container = BuildContainer(options);
                try
                {
                    await container.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await container.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                return new PostgresServer(PostgresProvider.Testcontainers, container.GetConnectionString(),
                    $"Testcontainers {options.Image} on {container.Hostname}:{container.GetMappedPublicPort(5432)}", cluster: null, container);
            }
            catch (DockerUnavailableException)
            {
                containerReason = "no Docker engine answered";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                containerReason = $"the container did not start ({ex.GetType().Name}: {ex.Message})";
            }
        }
        else
        {
            containerReason = "turned off (PostgresServerOptions.UseTestcontainers is false)";
        }

        string localReason;
        if (options.UseLocalBinaries)
        {
            var binaries = LocalBinaries.Find(options.BinariesDirectory, out localReason);
            if (binaries is not null)
            {
                try
                {
                    var cluster = await LocalCluster.StartAsync(binaries, options, cancellationToken).ConfigureAwait(false);
                    var fallback = options.UseTestcontainers ? $"; Testcontainers not used: {containerReason}" : string.Empty;
                    return new PostgresServer(PostgresProvider.LocalBinaries, cluster.ConnectionString("postgres"),
                        $"local cluster from {binaries} on 127.0.0.1:{cluster.Port}{fallback}", cluster, container: null);
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    localReason = $"the binaries in {binaries} are there, but {ex.Message}";
                }
            }
        }
        else
        {
            localReason = "turned off (PostgresServerOptions.UseLocalBinaries is false)";
        }

        throw new PostgresUnavailableException(string.Join(Environment.NewLine,
            "No PostgreSQL server is available, so the database tests cannot run (they never skip silently). Tried, in order:",
            $"1. A connection string in the environment variable {options.ConnectionStringVariable}: not set. Set it to a server you run, e.g. {options.ConnectionStringVariable}='Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres'.",
            $"2. Testcontainers with {options.Image}: {containerReason}. Install and start a Docker engine (https://docs.docker.com/engine/install/), then run the tests again.",
            $"3. A throwaway cluster from local PostgreSQL binaries: {localReason}. Install the server, e.g. 'apt-get install postgresql' on Debian or Ubuntu (initdb and pg_ctl are in /usr/lib/postgresql/<version>/bin), or set PostgresServerOptions.BinariesDirectory."));
    }

    private static PostgreSqlContainer BuildContainer(PostgresServerOptions options)
    {
        var builder = new PostgreSqlBuilder(options.Image)
            .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", string.Create(CultureInfo.InvariantCulture, $"max_connections={options.MaxConnections}"));
        if (options.EnableStatementStatistics)
        {
            builder = builder.WithCommand("-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=top");
        }

        foreach (var (name, value) in options.ServerSettings)
        {
            builder = builder.WithCommand("-c", $"{name}={value}");
        }

        return builder.Build();
    }

    private async Task InspectAsync(PostgresServerOptions options, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await using var connectionScope = connection.ConfigureAwait(false);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ArgumentException)
        {
            throw new PostgresUnavailableException(Provider == PostgresProvider.ConnectionString
                ? $"The server named by {options.ConnectionStringVariable} ({_baseConnection.Host}:{_baseConnection.Port}) did not accept a connection: {ex.Message} Start it, fix the variable, or unset it to let the tests start their own server."
                : $"The {Provider} server started but did not accept a connection: {ex.Message}", ex);
        }

        ServerVersion = connection.PostgreSqlVersion.ToString(2);
        if (Provider != PostgresProvider.ConnectionString || options.EnableStatementStatistics)
        {
            var command = connection.CreateCommand();
            await using var commandScope = command.ConfigureAwait(false);
            command.CommandText = "SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%'";
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                command.CommandText = "CREATE EXTENSION IF NOT EXISTS pg_stat_statements";
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    HasStatementStatistics = true;
                }
                catch (PostgresException)
                {
                    // Loaded but not creatable by this user: reports simply leave the server's statistics out.
                }
            }
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await using var connectionScope = connection.ConfigureAwait(false);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using var commandScope = command.ConfigureAwait(false);
#pragma warning disable CA2100 // Database names are generated or validated identifiers, never user text.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Identifier(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower.Length > 63 || lower.Length == 0 || !char.IsAsciiLetter(lower[0]) || !lower.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{name}' is not usable as a database name: use at most 63 ASCII letters, digits and underscores, starting with a letter.", nameof(name));
        }

        return lower;
    }
}
