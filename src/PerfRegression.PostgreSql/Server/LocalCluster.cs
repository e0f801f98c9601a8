using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using PerfRegression.Measurement;

namespace PerfRegression.PostgreSql;

/// <summary>
/// A throwaway PostgreSQL cluster in its own temporary directory: initdb, then a server on a random
/// loopback port with its socket in that directory and durability off. Stopped and deleted on dispose;
/// clusters left by a crashed earlier run are found by their owner file and removed on the next start.
/// </summary>
/// <remarks>
/// Nothing on the machine but this process may use it: the directory has an unpredictable name and mode 0700
/// (owned by the server's OS user), so its socket is out of others' reach; TCP on loopback asks for a password
/// generated per cluster (scram-sha-256), which only the connection strings this library hands out carry.
/// No connection is trusted.
/// </remarks>
internal sealed class LocalCluster : IAsyncDisposable
{
    private const string OwnerFile = "owner";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binaries;
    private readonly string? _runAs;
    private int _disposed;

    private readonly string _password;

    private LocalCluster(string directory, string binaries, string? runAs, int port, bool statementStatistics, string password)
    {
        Directory = directory;
        _password = password;
        _binaries = binaries;
        _runAs = runAs;
        Port = port;
        HasStatementStatistics = statementStatistics;
    }

    public string Directory { get; }

    public int Port { get; }

    public bool HasStatementStatistics { get; }

    public string BinariesDirectory => _binaries;

    /// <summary>The server's main process (postmaster), whose children serve the connections; 0 when unknown.</summary>
    public int PostmasterProcessId
    {
        get
        {
            try
            {
                var line = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
                return int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    private string DataDirectory => Path.Combine(Directory, "data");

    public static async Task<LocalCluster> StartAsync(string binaries, PostgresServerOptions options, CancellationToken cancellationToken)
    {
        var root = options.ResolvedClustersDirectory;
        await ClusterOwnership.PrepareRootAsync(root, cancellationToken).ConfigureAwait(false);
        var runAs = Environment.IsPrivilegedProcess ? options.OsUserWhenRoot : null;
        await RemoveAbandonedAsync(root, binaries, runAs, options.TimeProvider, cancellationToken).ConfigureAwait(false);

        // Unpredictable and private: no other user can find, plant into or connect through it.
        var directory = Path.Combine(root, $"cluster-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}");
        ClusterOwnership.CreatePrivateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, OwnerFile), OwnerStamp(Environment.ProcessId), cancellationToken).ConfigureAwait(false);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var passwordFile = Path.Combine(directory, "initdb-password");
        try
        {
            ClusterOwnership.WritePrivateFile(passwordFile, password);
            if (runAs is not null)
            {
                // PostgreSQL refuses to run as root: the cluster directory belongs to the server's own user.
                await RequireAsync("chown", [runAs, directory, passwordFile], null, $"give the cluster directory to the OS user '{runAs}'",
                    $"Create the user (useradd --system {runAs}) or set PostgresServerOptions.OsUserWhenRoot to an existing unprivileged user.", cancellationToken).ConfigureAwait(false);
            }

            // Password for every connection, TCP and socket alike: initdb writes no trust entry.
            await RequireAsync(Path.Combine(binaries, "initdb"),
                ["-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", $"--pwfile={passwordFile}",
                 "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                runAs, "create the cluster with initdb", "Check that the binaries work: run initdb --version.", cancellationToken).ConfigureAwait(false);
            File.Delete(passwordFile);

            var statementStatistics = options.EnableStatementStatistics && LocalBinaries.HasStatementStatistics(binaries);
            string lastFailure = string.Empty;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                // A free port can be taken between probing and binding; then another port is tried.
                var port = FreeLoopbackPort();
                var cluster = new LocalCluster(directory, binaries, runAs, port, statementStatistics, password);
                var (exitCode, output) = await ExternalCommand.RunAsync(Path.Combine(binaries, "pg_ctl"),
                    ["-D", cluster.DataDirectory, "-w", "-t", ((int)Math.Ceiling(options.StartTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
                     "-l", Path.Combine(directory, "server.log"), "-o", ServerArguments(cluster, options), "start"],
                    runAs, options.StartTimeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                if (exitCode == 0)
                {
                    return cluster;
                }

                lastFailure = $"{output}{Environment.NewLine}{ReadLog(directory)}".Trim();
                if (!lastFailure.Contains("already in use", StringComparison.OrdinalIgnoreCase)
                    && !lastFailure.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }
            }

            throw new InvalidOperationException($"pg_ctl could not start the server in {directory}:{Environment.NewLine}{lastFailure}");
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    public string ConnectionString(string database)
        => $"Host=127.0.0.1;Port={Port};Username=postgres;Password={_password};Database={database};Include Error Detail=true";

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(_binaries, DataDirectory, _runAs, CancellationToken.None).ConfigureAwait(false);
        TryDelete(Directory);
    }

    /// <summary>Synchronous stop for process exit, when no await is possible.</summary>
    public void StopOnExit()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        KillPostmaster(DataDirectory);
        TryDelete(Directory);
    }

    private static string ServerArguments(LocalCluster cluster, PostgresServerOptions options)
    {
        var settings = new List<(string Name, string Value)>
        {
            ("listen_addresses", "127.0.0.1"),
            ("unix_socket_directories", cluster.Directory),
            ("unix_socket_permissions", "0700"),
            ("fsync", "off"),
            ("synchronous_commit", "off"),
            ("full_page_writes", "off"),
            ("max_connections", options.MaxConnections.ToString(CultureInfo.InvariantCulture)),
        };
        if (cluster.HasStatementStatistics)
        {
            settings.Add(("shared_preload_libraries", "pg_stat_statements"));
            settings.Add(("pg_stat_statements.track", "top"));
        }

        settings.AddRange(options.ServerSettings.Select(s => (s.Key, s.Value)));
        // pg_ctl hands -o to a shell: single-quote every value.
        return $"-p {cluster.Port} " + string.Join(' ', settings.Select(s => $"-c {s.Name}='{s.Value.Replace("'", "'\\''", StringComparison.Ordinal)}'"));
    }

    private static async Task RemoveAbandonedAsync(string root, string binaries, string? runAs, TimeProvider time, CancellationToken cancellationToken)
    {
        foreach (var directory in System.IO.Directory.GetDirectories(root, "cluster-*"))
        {
            var ownerPath = Path.Combine(directory, OwnerFile);
            string? stamp = null;
            try
            {
                stamp = File.Exists(ownerPath) ? await File.ReadAllTextAsync(ownerPath, cancellationToken).ConfigureAwait(false) : null;
            }
            catch (IOException)
            {
                continue;
            }

            if (stamp is not null && IsAlive(stamp))
            {
                continue;
            }

            var data = Path.Combine(directory, "data");
            if (stamp is null)
            {
                // Without the owner marker it is not known to be ours: nothing its pid file names is ever signalled.
                // Only an old start that died before writing the marker (no server, no pid file) is removed.
                if (System.IO.Directory.GetLastWriteTimeUtc(directory) < time.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(10)
                    && !File.Exists(Path.Combine(data, "postmaster.pid")))
                {
                    TryDelete(directory);
                }

                continue;
            }

            // The pid file is obeyed only when it names the server running in this very data directory (StopAsync checks).
            await StopAsync(binaries, data, runAs, cancellationToken).ConfigureAwait(false);
            TryDelete(directory);
        }
    }

    private static async Task StopAsync(string binaries, string dataDirectory, string? runAs, CancellationToken cancellationToken)
    {
        // pg_ctl signals whatever pid the file names: run it only when that is this data directory's server.
        if (ClusterOwnership.VerifiedPostmaster(dataDirectory) == 0)
        {
            return;
        }

        // Immediate: the data is thrown away, so there is nothing to flush.
        var (exitCode, _) = await ExternalCommand.RunAsync(Path.Combine(binaries, "pg_ctl"), ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], runAs, CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            KillPostmaster(dataDirectory);
        }
    }

    private static void KillPostmaster(string dataDirectory)
    {
        try
        {
            if (ClusterOwnership.VerifiedPostmaster(dataDirectory) is > 0 and var pid)
            {
                using var postmaster = Process.GetProcessById(pid);
                postmaster.Kill(entireProcessTree: true);
                postmaster.WaitForExit(5_000);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or not ours to kill: nothing left to stop.
        }
    }

    /// <summary>
    /// The process id and its start time in clock ticks since boot, read from <c>/proc/{pid}/stat</c>: exact and
    /// the same whichever process reads it (a reused pid has another start time). .NET's Process.StartTime is
    /// derived from the current time and uptime, so it differs by milliseconds between readers and cannot be compared.
    /// </summary>
    private static string OwnerStamp(int pid) => $"{pid} {ProcStat.Read(pid).Text(22)}";

    private static bool IsAlive(string stamp)
    {
        var parts = stamp.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        try
        {
            return OwnerStamp(pid) == stamp.Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            // No such process (or not readable as one): the owner is gone.
            return false;
        }
    }

    private static async Task RequireAsync(string fileName, string[] arguments, string? runAs, string what, string fix, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ExternalCommand.RunAsync(fileName, arguments, runAs, CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"could not {what} ({Path.GetFileName(fileName)} exited with {exitCode}): {output} {fix}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ReadLog(string directory)
    {
        try
        {
            var log = Path.Combine(directory, "server.log");
            return File.Exists(log) ? string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(20)) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's clean-up, which removes directories whose owner is gone.
        }
    }
}
