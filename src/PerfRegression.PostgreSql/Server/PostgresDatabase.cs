namespace PerfRegression.PostgreSql;

/// <summary>A database of its own for one test (or one test class); dropped on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private int _disposed;

    internal PostgresDatabase(PostgresServer server, string name, string? template, string connectionString, TimeSpan creationTime)
    {
        _server = server;
        Name = name;
        Template = template;
        ConnectionString = connectionString;
        CreationTime = creationTime;
    }

    /// <summary>The database's name, unique on the server.</summary>
    public string Name { get; }

    /// <summary>The template it was copied from, or <see langword="null"/> when it started empty.</summary>
    public string? Template { get; }

    /// <summary>A connection string to this database.</summary>
    public string ConnectionString { get; }

    /// <summary>How long creating (copying) the database took.</summary>
    public TimeSpan CreationTime { get; }

    /// <summary>The server it lives on.</summary>
    public PostgresServer Server => _server;

    /// <summary>Drops the database, closing any connections still open to it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _server.DropAsync(Name, CancellationToken.None).ConfigureAwait(false);
    }
}
