namespace PerfRegression.PostgreSql;

/// <summary>Where a <see cref="PostgresServer"/> came from, in the order they are tried.</summary>
public enum PostgresProvider
{
    /// <summary>A server you run, named by a connection string in an environment variable (e.g. a CI service container).</summary>
    ConnectionString,

    /// <summary>A throwaway container started with Testcontainers, when a Docker engine answers.</summary>
    Testcontainers,

    /// <summary>A throwaway cluster created from the PostgreSQL binaries installed on this machine.</summary>
    LocalBinaries,
}
