using System.Diagnostics;
using PerfRegression.Checks;

namespace PerfRegression.Reliability;

/// <summary>What a kill loop found: kills made, how many landed mid-write, corrupt files, temporary files left.</summary>
/// <param name="Kills">Children killed with SIGKILL.</param>
/// <param name="KilledMidWrite">Kills after which a temporary file of the killed child was found: the kill interrupted a write.</param>
/// <param name="Corrupt">Kills after which the baseline was neither the old nor the new whole file, or the store refused it.</param>
/// <param name="TemporaryFilesLeft">Temporary files still in the folder after the library's next read of it, summed over the kills.</param>
/// <param name="Problems">The first few corrupt files or leftovers, one line each, for a failure message.</param>
internal sealed record KillLoopResult(int Kills, int KilledMidWrite, int Corrupt, int TemporaryFilesLeft, IReadOnlyList<string> Problems);

/// <summary>
/// Baseline integrity under crashes: starts the crash child (bench/PerfRegression.Benchmarks.CrashChild), which
/// rewrites one baseline through the library's store in a loop, kills it with SIGKILL at a random moment, and checks
/// that the baseline is byte for byte one of the two files the child writes and that the store reads it, and that the
/// store's next read of the folder leaves no temporary file behind. Shared by the unit test and the bench suite.
/// </summary>
internal static class BaselineKillLoop
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The crash child's entry assembly, from the metadata "CrashChildPath" the build embeds in <paramref name="host"/>.</summary>
    public static string ChildPath(System.Reflection.Assembly host)
    {
        var dll = host.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "CrashChildPath")?.Value;
        return dll is not null && File.Exists(dll) ? dll
            : throw new FileNotFoundException($"The crash child was not found at '{dll}'. It is built with this project; build it again and retry.");
    }

    /// <param name="childDll">The crash child's entry assembly.</param>
    /// <param name="folder">An empty folder for the baselines.</param>
    /// <param name="kills">How many children to kill.</param>
    /// <param name="maxDelay">The longest a child writes before it is killed; each kill waits a random time up to it.</param>
    /// <param name="seed">The random delays' seed, so a failing sequence can be replayed.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public static async Task<KillLoopResult> RunAsync(string childDll, string folder, int kills, TimeSpan maxDelay, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var store = new BaselineStore(folder, "pr");
        var identity = TestIdentity.Named("Crash.Writer");
        var path = store.PathOf(identity);
        var problems = new List<string>();
        int midWrite = 0, corrupt = 0, left = 0;
        for (var kill = 1; kill <= kills; kill++)
        {
            using var child = Start(childDll, folder);
            try
            {
                await WaitReadyAsync(child, cancellationToken);
                await Task.Delay(TimeSpan.FromTicks((long)(random.NextDouble() * maxDelay.Ticks)), cancellationToken);
            }
            finally
            {
                child.Kill();
                await child.WaitForExitAsync(cancellationToken);
            }

            var pid = child.Id;
            if (Directory.GetFiles(Path.GetDirectoryName(path)!, $"*.{pid}-*.tmp").Length > 0)
            {
                midWrite++;
            }

            var content = await File.ReadAllBytesAsync(path, cancellationToken);
            var a = await File.ReadAllBytesAsync(Path.Combine(folder, "expected-a.json"), cancellationToken);
            var b = await File.ReadAllBytesAsync(Path.Combine(folder, "expected-b.json"), cancellationToken);
            var whole = content.SequenceEqual(a) || content.SequenceEqual(b);
            try
            {
                // The library's next read of the folder: it must accept the file and remove what the killed writer left.
                if (store.Read(identity) is null || !whole)
                {
                    throw new InvalidDataException($"the file is {content.Length} bytes and matches neither whole file");
                }
            }
            catch (Exception ex) when (ex is BaselineException or InvalidDataException)
            {
                corrupt++;
                problems.Add($"kill {kill} (pid {pid}): baseline corrupt: {ex.Message}");
            }

            var leftovers = Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp");
            left += leftovers.Length;
            if (leftovers.Length > 0)
            {
                problems.Add($"kill {kill} (pid {pid}): temporary files left after the next read: {string.Join(", ", leftovers.Select(Path.GetFileName))}");
            }
        }

        return new KillLoopResult(kills, midWrite, corrupt, left, problems.Take(5).ToArray());
    }

    private static Process Start(string childDll, string folder)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { childDll, "baselines", folder },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("`dotnet` could not be started.");
    }

    private static async Task WaitReadyAsync(Process child, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
        if (line != "ready")
        {
            throw new InvalidOperationException($"The crash child did not start: it printed '{line}' ({await child.StandardError.ReadToEndAsync(cancellationToken)}).");
        }
    }
}
