using System.Diagnostics;
using PerfRegression.PostgreSql;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>
/// A test host killed (SIGKILL) while it holds a local cluster leaves nothing behind once the next start has run:
/// no server process, no directory. The host is a child process (tests/PerfRegression.PostgreSql.Holder) that starts
/// the server through the public API and waits; nothing of it runs a handler when killed.
/// </summary>
[Collection(TimingSensitive.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClusterCrashTests : IDisposable
{
    /// <summary>Sized for CI; the reliability bench runs more.</summary>
    private const int Kills = 5;

    private readonly string _clusters = Path.Combine(Path.GetTempPath(), "perf-pg-crash-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_clusters))
        {
            Directory.Delete(_clusters, recursive: true);
        }
    }

    [Fact]
    public async Task Killing_a_process_that_holds_a_cluster_leaves_no_cluster_or_directory_after_the_next_start()
    {
        var ct = TestContext.Current.CancellationToken;
        using var quiet = await MachineQuiet.HoldAsync();
        var postmasters = new List<int>();
        var directories = new List<string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var (postmaster, directory) = await StartAndKillHolderAsync(ct);
            postmasters.Add(postmaster);
            directories.Add(directory);
            Directory.GetDirectories(_clusters).Should().Equal([directory], "each start removed the cluster the previous killed holder left");
            IsServerRunning(postmaster, directory).Should().BeTrue("SIGKILL runs no handler: the killed holder's cluster is still up until the next start");
            postmasters.SkipLast(1).Where((pid, i) => IsServerRunning(pid, directories[i])).Should().BeEmpty("every earlier orphan was stopped by the next start");
        }

        // The next start in this process removes the last orphan; disposing it removes its own cluster.
        await using (await PostgresServer.StartAsync(new PostgresServerOptions { ConnectionStringVariable = "PERF_TEST_UNSET_" + Guid.NewGuid().ToString("N"), UseTestcontainers = false, ClustersDirectory = _clusters }, ct))
        {
        }

        OrphanServers().Should().BeEmpty($"no server of the {Kills} killed holders is running");
        Directory.GetFileSystemEntries(_clusters).Should().BeEmpty("no cluster directory is left behind");
    }

    private async Task<(int Postmaster, string Directory)> StartAndKillHolderAsync(CancellationToken ct)
    {
        // Beside this project's output: ../../../../PerfRegression.PostgreSql.Holder/bin/<configuration>/net10.0.
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var holder = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.FullName, "PerfRegression.PostgreSql.Holder", "bin", output.Parent.Name, output.Name, "PerfRegression.PostgreSql.Holder.dll");
        File.Exists(holder).Should().BeTrue($"the holder is built with this project ({holder})");
        var start = new ProcessStartInfo("dotnet", [holder, _clusters, "60"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            line.Should().StartWith("ready ", await ReadErrorAsync(process));
        }
        finally
        {
            process.Kill(); // SIGKILL on Linux
            await process.WaitForExitAsync(ct);
        }

        var directory = Directory.GetDirectories(_clusters).OrderBy(Directory.GetCreationTimeUtc).Last();
        var postmaster = int.Parse(File.ReadLines(Path.Combine(directory, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        return (postmaster, directory);
    }

    /// <summary>The way the reliability bench counts orphans: postgres processes whose data directory (working directory) is under the clusters root.</summary>
    private List<int> OrphanServers()
        => [.. Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0 && IsServerRunning(pid, _clusters))];

    private static bool IsServerRunning(int pid, string under)
    {
        try
        {
            var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            var cwd = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return Path.GetFileName(exe) == "postgres" && cwd is not null && cwd.StartsWith(under, StringComparison.Ordinal) && !stat.Split(") ")[^1].StartsWith('Z');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<string> ReadErrorAsync(Process process)
    {
        if (!process.HasExited)
        {
            return "the holder did not say ready";
        }

        return await process.StandardError.ReadToEndAsync();
    }
}
