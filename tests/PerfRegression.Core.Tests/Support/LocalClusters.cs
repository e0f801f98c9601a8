using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Support;

/// <summary>
/// A clusters directory of one test's own, and options that start local clusters there only: never an external server
/// from the environment (the variable is a fresh one, unset unless the test sets it), never Docker. Disposing removes
/// the directory and unsets the variable.
/// </summary>
internal sealed class LocalClusters(string purpose) : IDisposable
{
    /// <summary>Where the clusters go, unique to this instance.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"perf-pg-{purpose}-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The connection-string variable the options name; a test may set it to try an external server.</summary>
    public string Variable { get; } = "PERF_TEST_PG_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>Options for a local cluster in <see cref="Directory"/>.</summary>
    public PostgresServerOptions Options => new()
    {
        ConnectionStringVariable = Variable,
        UseTestcontainers = false,
        ClustersDirectory = Directory,
    };

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Variable, null);
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
