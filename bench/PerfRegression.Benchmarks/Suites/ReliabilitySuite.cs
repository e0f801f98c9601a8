using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using PerfRegression.Benchmarks.Support;
using PerfRegression.Reliability;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// Correctness under crashes and bad input, not speed: (1) a process writing baselines through the library's store is
/// killed with SIGKILL at random moments, and every baseline must be the old or the new whole file with no temporary
/// file left after the next read; (2) a process holding a PostgreSQL server is killed, and after the next server start no
/// process of the killed runs' clusters may still run; (3) the unit tests' bad-input catalogue is run and its outcomes
/// counted (none may pass silently, crash or hang).
/// </summary>
internal static class ReliabilitySuite
{
    private const int BaselineKills = 60;
    private const int FixtureKills = 5;

    public static async Task RunAsync(Figures figures, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("perf-reliability-");
        try
        {
            await BaselinesAsync(figures, scratch.FullName, cancellationToken);
            await FixturesAsync(figures, cancellationToken);
            await BadInputsAsync(figures, scratch.FullName, cancellationToken);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static async Task BaselinesAsync(Figures figures, string scratch, CancellationToken cancellationToken)
    {
        var seed = Environment.TickCount;
        Console.WriteLine($"  baselines: killing a writer {BaselineKills} times at random moments (seed {seed})");
        var result = await BaselineKillLoop.RunAsync(BaselineKillLoop.ChildPath(typeof(ReliabilitySuite).Assembly), Path.Combine(scratch, "baselines"), BaselineKills, TimeSpan.FromMilliseconds(150), seed, cancellationToken);
        foreach (var problem in result.Problems)
        {
            Console.WriteLine("    " + problem);
        }

        Console.WriteLine($"  {result.KilledMidWrite} of {result.Kills} kills landed inside a write");
        figures.Add("baseline_kills", result.Kills, "0");
        figures.Add("baseline_kills_mid_write", result.KilledMidWrite, "0");
        figures.AddWithTarget("baseline_corrupt_after_kill", result.Corrupt, "0", "0", result.Corrupt == 0);
        figures.AddWithTarget("baseline_temp_files_left_after_kill", result.TemporaryFilesLeft, "0", "0", result.TemporaryFilesLeft == 0);
    }

    /// <summary>
    /// Kills a child holding a <see cref="PostgreSql.PostgresServer"/> (as a test process holding a fixture), each in one
    /// clusters directory of its own, then starts a server in that directory here as the next test run would, and counts
    /// the server processes still running from the killed runs' clusters and the cluster directories left behind.
    /// </summary>
    private static async Task FixturesAsync(Figures figures, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.WriteLine("  fixtures: needs /proc (Linux); orphan_clusters_after_kill is not measured.");
            return;
        }

        // Not under the scratch folder: that is 0700 and root's, and the clusters' own OS user must reach its directory.
        var clusters = Path.Combine(Path.GetTempPath(), "perf-reliability-clusters-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await KillFixturesAsync(figures, clusters, cancellationToken);
        }
        finally
        {
            if (Directory.Exists(clusters))
            {
                Directory.Delete(clusters, recursive: true);
            }
        }
    }

    private static async Task KillFixturesAsync(Figures figures, string clusters, CancellationToken cancellationToken)
    {
        var killed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < FixtureKills; i++)
        {
            using var child = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList = { BaselineKillLoop.ChildPath(typeof(ReliabilitySuite).Assembly), "fixture", clusters, "120" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromMinutes(2));
                var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null || !line.StartsWith("ready", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The fixture child did not start a server: '{line}' {await child.StandardError.ReadToEndAsync(cancellationToken)}");
                }

                Console.WriteLine($"  fixtures: child {child.Id} holds a server ({line[5..].Trim()}); killing it");
            }
            finally
            {
                child.Kill();
                await child.WaitForExitAsync(cancellationToken);
            }

            // The killed run's server keeps running (nothing of the child ran a handler): note its cluster.
            foreach (var (_, directory) in ClusterOrphans.ServerProcesses(clusters))
            {
                killed.Add(ClusterOf(clusters, directory));
            }
        }

        var before = ClusterOrphans.ServerProcesses(clusters);
        Console.WriteLine($"  after {FixtureKills} kills, before the next start: {before.Count} server processes of {before.Select(p => ClusterOf(clusters, p.DataDirectory)).Distinct(StringComparer.Ordinal).Count()} killed runs' clusters running");
        var clock = Stopwatch.StartNew();
        var options = new PostgreSql.PostgresServerOptions
        {
            ConnectionStringVariable = "PERF_RELIABILITY_UNSET_" + Guid.NewGuid().ToString("N"),
            UseTestcontainers = false,
            ClustersDirectory = clusters,
        };
        await using (var next = await PostgreSql.PostgresServer.StartAsync(options, cancellationToken))
        {
            Console.WriteLine($"  next start ({clock.Elapsed.TotalSeconds:0.0} s): {next.Description}");
            var orphans = ClusterOrphans.ServerProcesses(clusters).Where(p => killed.Contains(ClusterOf(clusters, p.DataDirectory))).ToList();
            foreach (var (pid, directory) in orphans)
            {
                Console.WriteLine($"    still running: pid {pid} in {directory}");
            }

            var clustersLeft = orphans.Select(o => ClusterOf(clusters, o.DataDirectory)).Distinct(StringComparer.Ordinal).Count();
            figures.Add("fixture_kills", FixtureKills, "0");
            figures.Add("fixture_clusters_running_before_next_start", killed.Count, "0");
            figures.AddWithTarget("orphan_clusters_after_kill", clustersLeft, "0", "0", clustersLeft == 0);
            figures.Add("orphan_postgres_processes_after_kill", orphans.Count, "0");
            figures.Add("orphan_postmasters_after_kill", orphans.Count(o => IsPostmaster(o.Pid)), "0");
            var directoriesLeft = killed.Count(Directory.Exists);
            Console.WriteLine($"  {directoriesLeft} of the {killed.Count} killed runs' cluster directories still exist");
            figures.AddWithTarget("orphan_cluster_directories_after_kill", directoriesLeft, "0", "0", directoriesLeft == 0);
        }
    }

    /// <summary>The cluster directory (the first level under <paramref name="clusters"/>) a data directory belongs to.</summary>
    private static string ClusterOf(string clusters, string directory)
    {
        var relative = Path.GetRelativePath(clusters, directory);
        var first = relative.Split('/')[0];
        return Path.Combine(clusters, first);
    }

    private static bool IsPostmaster(int pid)
    {
        try
        {
            // A postmaster keeps its command line (postgres -D …); its backends rename themselves "postgres: …".
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return commandLine.Contains(" -D ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Runs the unit tests' bad-input catalogue (BadInputTests) with PERF_BAD_INPUTS_REPORT set and counts its outcomes.</summary>
    private static async Task BadInputsAsync(Figures figures, string scratch, CancellationToken cancellationToken)
    {
        var tests = typeof(ReliabilitySuite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "CoreTestsPath")?.Value;
        if (tests is null || !File.Exists(tests))
        {
            throw new FileNotFoundException($"The unit tests were not found at '{tests}'. They are built with this project; build it again and retry.");
        }

        var report = Path.Combine(scratch, "bad-inputs.jsonl");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { tests, "-class", "PerfRegression.Tests.BadInputs.BadInputTests" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["PERF_BAD_INPUTS_REPORT"] = report },
        };
        Console.WriteLine("  bad inputs: running the catalogue (BadInputTests) of the unit tests");
        using var run = Process.Start(start)!;
        var output = run.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = run.StandardError.ReadToEndAsync(cancellationToken);
        await run.WaitForExitAsync(cancellationToken);
        // The runner colours its summary line; the escape sequences are dropped for the log.
        var summary = Regex.Replace((await output).Split('\n').LastOrDefault(l => l.Contains("Total:", StringComparison.Ordinal)) ?? string.Empty, "\u001b\\[[0-9;]*m", string.Empty).Trim();
        Console.WriteLine($"  test run exit code {run.ExitCode}: {summary}");
        if (!File.Exists(report))
        {
            throw new InvalidOperationException($"The catalogue wrote no report (exit code {run.ExitCode}): {await errors}");
        }

        var answers = File.ReadLines(report).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Key: e.GetProperty("key").GetString()!, Outcome: e.GetProperty("outcome").GetString()!, Message: e.GetProperty("message").GetString()))
            .ToArray();
        foreach (var answer in answers.Where(a => a.Outcome != "Specific"))
        {
            Console.WriteLine($"    {answer.Outcome}: {answer.Key}{(answer.Message is null ? "" : " — " + answer.Message.Split('\n')[0])}");
        }

        int Count(string outcome) => answers.Count(a => a.Outcome == outcome);
        var tried = answers.Select(a => a.Key).Distinct(StringComparer.Ordinal).Count();
        figures.AddWithTarget("bad_inputs_tried", tried, "0", ">= 100", tried >= 100);
        figures.Add("bad_inputs_specific", Count("Specific"), "0");
        figures.Add("bad_inputs_vague", Count("Vague"), "0");
        figures.AddWithTarget("bad_inputs_silent_pass", Count("SilentPass"), "0", "0", Count("SilentPass") == 0);
        figures.AddWithTarget("bad_inputs_crash", Count("Crash"), "0", "0", Count("Crash") == 0);
        figures.AddWithTarget("bad_inputs_hang", Count("Hang"), "0", "0", Count("Hang") == 0);
    }
}
