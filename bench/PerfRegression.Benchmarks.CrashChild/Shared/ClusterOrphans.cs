using System.Globalization;

namespace PerfRegression.Reliability;

/// <summary>
/// PostgreSQL server processes still running from clusters under one clusters directory: the crash tests and the
/// reliability bench count what killed fixture holders left. A postmaster and its backends run with their cluster's data
/// directory as working directory, so a process counts when its executable is <c>postgres</c>, its working directory is
/// under the clusters directory, and it is not a zombie. Linux only (/proc).
/// </summary>
internal static class ClusterOrphans
{
    /// <summary>The pids and data directories of the server processes running under <paramref name="clustersDirectory"/>.</summary>
    public static List<(int Pid, string DataDirectory)> ServerProcesses(string clustersDirectory)
    {
        var found = new List<(int, string)>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && RunningUnder(pid, clustersDirectory) is { } directory)
            {
                found.Add((pid, directory));
            }
        }

        return found;
    }

    private static string? RunningUnder(int pid, string clustersDirectory)
    {
        try
        {
            var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            var cwd = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var zombie = stat[(stat.LastIndexOf(") ", StringComparison.Ordinal) + 2)..].StartsWith('Z');
            return Path.GetFileName(exe) == "postgres" && cwd is not null && cwd.StartsWith(Path.TrimEndingDirectorySeparator(clustersDirectory) + "/", StringComparison.Ordinal) && !zombie ? cwd : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended meanwhile, or is another user's: not one of ours.
            return null;
        }
    }
}
