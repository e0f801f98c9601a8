using PerfRegression.Text;

namespace PerfRegression.PostgreSql;

/// <summary>
/// How <see cref="PostgresServer.StartAsync(PostgresServerOptions?, CancellationToken)"/> finds or starts
/// a server. Every property has a default that works on a developer machine and in CI; the options are
/// validated when handed over, with every problem in one message.
/// </summary>
public sealed record PostgresServerOptions
{
    /// <summary>The environment variable read first: <c>PERF_POSTGRES_CONNECTION_STRING</c>.</summary>
    public const string DefaultConnectionStringVariable = "PERF_POSTGRES_CONNECTION_STRING";

    /// <summary>The image Testcontainers starts: pinned, so every run tests the same server build.</summary>
    public const string DefaultImage = "postgres:15.18-alpine";

    /// <summary>
    /// The environment variable holding a connection string to a server you run. When it is set the
    /// server is used as it is, and databases this library creates on it are dropped on dispose.
    /// </summary>
    /// <value>The default value is <c>PERF_POSTGRES_CONNECTION_STRING</c>.</value>
    public string ConnectionStringVariable { get; init; } = DefaultConnectionStringVariable;

    /// <summary>Whether to try Testcontainers when no connection string is set.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseTestcontainers { get; init; } = true;

    /// <summary>Whether to fall back to a throwaway cluster from the local PostgreSQL binaries.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseLocalBinaries { get; init; } = true;

    /// <summary>The container image for Testcontainers, with an exact version tag.</summary>
    /// <value>The default value is <c>postgres:15.18-alpine</c>.</value>
    public string Image { get; init; } = DefaultImage;

    /// <summary>
    /// The directory holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. When <see langword="null"/>,
    /// the directory of <c>pg_ctl</c> on <c>PATH</c> is used, else the newest <c>/usr/lib/postgresql/*/bin</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? BinariesDirectory { get; init; }

    /// <summary>
    /// Where local clusters are created, one subdirectory each. Clusters left there by a process that no
    /// longer runs (a crashed earlier run) are stopped and deleted by the next start.
    /// </summary>
    /// <value>The default value is <c>perfregression-postgres</c> under the system's temporary directory.</value>
    public string? ClustersDirectory { get; init; }

    /// <summary>
    /// The operating-system user that owns and runs a local cluster when this process runs as root
    /// (PostgreSQL refuses to run as root).
    /// </summary>
    /// <value>The default value is <c>postgres</c>.</value>
    public string OsUserWhenRoot { get; init; } = "postgres";

    /// <summary>The longest a local cluster or a container may take to accept connections.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether to load <c>pg_stat_statements</c> in servers this library starts (when the extension is
    /// installed), so reports can include the server's own statement statistics.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableStatementStatistics { get; init; } = true;

    /// <summary>
    /// The most connections a started server accepts. A load test with 100 virtual users against one app
    /// uses one connection pool (Npgsql's default maximum is 100), plus the fixture's own connections.
    /// </summary>
    /// <value>The default value is 200.</value>
    public int MaxConnections { get; init; } = 200;

    /// <summary>
    /// Extra server settings (<c>-c name=value</c>) for servers this library starts. Durability is
    /// already off (<c>fsync</c>, <c>synchronous_commit</c>, <c>full_page_writes</c>): test data is thrown away.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>The clock used to time start-up and wait for readiness; tests may replace it.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal string ResolvedClustersDirectory
        => ClustersDirectory ?? Path.Combine(Path.GetTempPath(), "perfregression-postgres");

    /// <summary>Every problem with these options, one sentence each with the fix; checked when they are handed to <see cref="PostgresServer.StartAsync(PostgresServerOptions, CancellationToken)"/>.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionStringVariable))
        {
            problems.Add("ConnectionStringVariable is empty. Name an environment variable, e.g. PERF_POSTGRES_CONNECTION_STRING.");
        }

        if (UseTestcontainers && (string.IsNullOrWhiteSpace(Image) || !Image.Contains(':', StringComparison.Ordinal) || Image.EndsWith(":latest", StringComparison.Ordinal)))
        {
            problems.Add($"Image is '{Image}', which is not pinned. Give an exact tag such as {DefaultImage}, so every run tests the same server build.");
        }

        if (StartTimeout <= TimeSpan.Zero)
        {
            problems.Add($"StartTimeout is {Formatting.Duration(StartTimeout)}; it must be positive, e.g. 60 s.");
        }

        if (MaxConnections is < 10 or > 10_000)
        {
            problems.Add($"MaxConnections is {MaxConnections}; it must be between 10 and 10000.");
        }

        if (string.IsNullOrWhiteSpace(OsUserWhenRoot))
        {
            problems.Add("OsUserWhenRoot is empty. Name the user that runs PostgreSQL when tests run as root, e.g. postgres.");
        }

        if (BinariesDirectory is not null && !File.Exists(Path.Combine(BinariesDirectory, "pg_ctl")))
        {
            problems.Add($"BinariesDirectory '{BinariesDirectory}' has no pg_ctl. Point it at the directory holding initdb and pg_ctl, e.g. /usr/lib/postgresql/15/bin.");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider is null; leave it unset for the system clock, or give a TimeProvider.");
        }

        if (ClustersDirectory is not null && string.IsNullOrWhiteSpace(ClustersDirectory))
        {
            problems.Add("ClustersDirectory is empty; leave it unset for perfregression-postgres under the temporary directory, or give a directory of your own.");
        }
        else if (ClustersDirectory is not null && File.Exists(ClustersDirectory))
        {
            problems.Add($"ClustersDirectory '{ClustersDirectory}' is a file. Give a directory (it is created if missing), or leave it unset.");
        }

        if (ServerSettings is null)
        {
            problems.Add("ServerSettings is null; leave it unset for no extra settings, or give a dictionary such as { [\"work_mem\"] = \"64MB\" }.");
        }

        foreach (var (name, value) in ServerSettings ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace) || value is null)
            {
                problems.Add($"ServerSettings has an invalid entry '{name}'='{value}'. Give setting names without spaces and a value, e.g. work_mem=64MB.");
            }
        }

        return problems;
    }
}
