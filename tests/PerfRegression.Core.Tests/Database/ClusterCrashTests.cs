using System.Diagnostics;
using PerfRegression.PostgreSql;
using PerfRegression.Reliability;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>
/// A test host killed (SIGKILL) while it holds a local cluster leaves nothing behind once the next start has run:
/// no server process, no directory. The host is a child process (bench/PerfRegression.Benchmarks.CrashChild, mode fixture) that starts
/// the server through the public API and waits; nothing of it runs a handler when killed.
/// </summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClusterCrashTests : IDisposable
{
    /// <summary>Sized for CI; the reliability bench runs more.</summary>
    private const int Kills = 5;

    private readonly LocalClusters _local = new("crash");

    public void Dispose() => _local.Dispose();

    [Fact]
    public async Task Killing_a_process_that_holds_a_cluster_leaves_no_cluster_or_directory_after_the_next_start()
    {
        var ct = TestContext.Current.CancellationToken;
        var postmasters = new List<int>();
        var directories = new List<string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var (postmaster, directory) = await StartAndKillHolderAsync(ct);
            postmasters.Add(postmaster);
            directories.Add(directory);
            Directory.GetDirectories(_local.Directory).Should().Equal([directory], "each start removed the cluster the previous killed holder left");
            var running = ClusterOrphans.ServerProcesses(_local.Directory);
            running.Should().Contain(p => p.Pid == postmaster && p.DataDirectory.StartsWith(directory, StringComparison.Ordinal), "SIGKILL runs no handler: the killed holder's cluster is still up until the next start");
            running.Where(p => directories.SkipLast(1).Any(d => p.DataDirectory.StartsWith(d, StringComparison.Ordinal))).Should().BeEmpty("every earlier orphan was stopped by the next start");
        }

        // The next start in this process removes the last orphan; disposing it removes its own cluster.
        await using (await PostgresServer.StartAsync(_local.Options, ct))
        {
        }

        OrphanServers().Should().BeEmpty($"no server of the {Kills} killed holders is running");
        Directory.GetFileSystemEntries(_local.Directory).Should().BeEmpty("no cluster directory is left behind");
    }

    private async Task<(int Postmaster, string Directory)> StartAndKillHolderAsync(CancellationToken ct)
    {
        var holder = BaselineKillLoop.ChildPath(typeof(ClusterCrashTests).Assembly);
        var start = new ProcessStartInfo("dotnet", [holder, "fixture", _local.Directory, "60"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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

        var directory = Directory.GetDirectories(_local.Directory).OrderBy(Directory.GetCreationTimeUtc).Last();
        var postmaster = int.Parse(File.ReadLines(Path.Combine(directory, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        return (postmaster, directory);
    }

    /// <summary>The way the reliability bench counts orphans: postgres processes whose data directory (working directory) is under the clusters root.</summary>
    private List<int> OrphanServers() => [.. ClusterOrphans.ServerProcesses(_local.Directory).Select(p => p.Pid)];

    private static async Task<string> ReadErrorAsync(Process process)
    {
        if (!process.HasExited)
        {
            return "the holder did not say ready";
        }

        return await process.StandardError.ReadToEndAsync();
    }
}
