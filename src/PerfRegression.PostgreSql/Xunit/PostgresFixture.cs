using Xunit;

namespace PerfRegression.PostgreSql;

/// <summary>
/// An xUnit fixture that owns one <see cref="PostgresServer"/> for a test assembly (register it with
/// <c>[assembly: AssemblyFixture(typeof(MyDatabaseFixture))]</c>) or a test class (<c>IClassFixture</c>).
/// Override <see cref="SeedAsync"/> to seed a template once; <see cref="CreateDatabaseAsync"/> then gives
/// each test a fresh copy of it.
/// </summary>
/// <remarks>
/// Start-up failure does not crash the run: it is captured and rethrown, with its cause, by every test
/// that asks for a database. Each test that does writes the provider used to its output.
/// </remarks>
public class PostgresFixture : IAsyncLifetime
{
    private readonly PostgresServerOptions _options;
    private PostgresServer? _server;
    private string? _template;
    private Exception? _startFailure;

    /// <summary>A fixture with the default <see cref="PostgresServerOptions"/>.</summary>
    public PostgresFixture()
        : this(new PostgresServerOptions())
    {
    }

    /// <summary>A fixture with the given options (validated when the fixture starts).</summary>
    protected PostgresFixture(PostgresServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The server; throws the start-up failure, with its cause, when there is none.</summary>
    public PostgresServer Server => _server ?? throw Unavailable();

    /// <summary>How long seeding the template took; zero when <see cref="SeedAsync"/> is not overridden.</summary>
    public TimeSpan SeedTime { get; private set; }

    /// <summary>
    /// A fresh database for the calling test: a copy of the seeded template, or an empty database when the
    /// fixture does not seed. Dispose it at the end of the test (<c>await using</c>).
    /// </summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var server = Server;
        var database = await server.CreateDatabaseAsync(_template, cancellationToken).ConfigureAwait(false);
        WriteLine(FormattableString.Invariant(
            $"PostgreSQL: {server.Provider}: {server.Description}; database {database.Name}{(_template is null ? " (empty)" : $" copied from {_template} in {database.CreationTime.TotalMilliseconds:0} ms")}"));
        return database;
    }

    /// <summary>Starts the server and seeds the template; a failure is kept for the tests to report.</summary>
    public async ValueTask InitializeAsync()
    {
        try
        {
            _server = await PostgresServer.StartAsync(_options, TestContext.Current?.CancellationToken ?? CancellationToken.None).ConfigureAwait(false);
            var started = _options.TimeProvider.GetTimestamp();
            _template = await SeedTemplateAsync(_server).ConfigureAwait(false);
            SeedTime = _template is null ? TimeSpan.Zero : _options.TimeProvider.GetElapsedTime(started);
            TestContext.Current?.SendDiagnosticMessage($"PostgreSQL: {_server.Provider}: {_server.Description}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _startFailure = ex;
            if (_server is not null)
            {
                await _server.DisposeAsync().ConfigureAwait(false);
                _server = null;
            }
        }
    }

    /// <summary>Stops the server and deletes everything it created.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Override to seed the template: runs once, on an empty database, before any test copies it.</summary>
    /// <param name="connectionString">The template database's connection string.</param>
    /// <param name="cancellationToken">Cancelled when the test run is.</param>
    protected virtual Task SeedAsync(string connectionString, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether <see cref="SeedAsync"/> is overridden, i.e. whether tests get a seeded copy.</summary>
    protected virtual bool Seeds => GetType().GetMethod(nameof(SeedAsync), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)?.DeclaringType != typeof(PostgresFixture);

    /// <summary>Releases the server; override to release what a derived fixture holds, calling the base.</summary>
    protected virtual async ValueTask DisposeAsyncCore()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<string?> SeedTemplateAsync(PostgresServer server)
        => Seeds ? await server.CreateTemplateAsync(GetType().Name.ToLowerInvariant(), SeedAsync, TestContext.Current?.CancellationToken ?? CancellationToken.None).ConfigureAwait(false) : null;

    private static void WriteLine(string text)
    {
        try
        {
            TestContext.Current?.TestOutputHelper?.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // Outside a test (a fixture's own start-up) there is no output to write to.
        }
    }

    private PostgresUnavailableException Unavailable()
        => _startFailure switch
        {
            PostgresUnavailableException unavailable => new PostgresUnavailableException(unavailable.Message, unavailable),
            null => new PostgresUnavailableException("The PostgreSQL fixture has not started: use it as an xUnit fixture (AssemblyFixture or IClassFixture), which calls InitializeAsync before the tests."),
            _ => new PostgresUnavailableException($"The PostgreSQL fixture failed to start: {_startFailure.Message}", _startFailure),
        };
}
