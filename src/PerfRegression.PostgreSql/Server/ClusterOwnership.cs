using System.Globalization;

namespace PerfRegression.PostgreSql;

/// <summary>
/// What makes a cluster directory and a server process this library's own, checked before anything is stopped
/// or deleted: files in a temporary folder can be planted by anyone, so their word alone is never obeyed.
/// </summary>
internal static class ClusterOwnership
{
    /// <summary>rwx for the owner only: the cluster directory (data, socket, log) is readable by nobody else.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// The clusters' root: the owner lists and creates, everyone else may only pass through to a directory whose
    /// unpredictable name they were told (the server's own user, when this process runs as root).
    /// </summary>
    private const UnixFileMode Root = Private | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates the clusters' root, or checks that an existing one is a real directory of this OS user that no one
    /// else can write to (narrowing its permissions if needed). Throws <see cref="InvalidOperationException"/> with
    /// the fix when it belongs to someone else: clusters there could be planted.
    /// </summary>
    public static async Task PrepareRootAsync(string root, CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(root))
        {
            CreateDirectory(root, Root);
        }

        var info = new DirectoryInfo(root);
        if (info.LinkTarget is not null)
        {
            throw new InvalidOperationException($"the clusters directory {root} is a symbolic link (to {info.LinkTarget}), so another user may control where clusters go. Delete it, or set PostgresServerOptions.ClustersDirectory to a directory of your own.");
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var owner = await OwnerAsync(root, cancellationToken).ConfigureAwait(false);
        var self = EffectiveUserId();
        if (owner is not null && self is not null && owner != self)
        {
            throw new InvalidOperationException($"the clusters directory {root} belongs to the OS user with uid {owner}, not to this process's user (uid {self}), so clusters in it could be planted. Delete it, or set PostgresServerOptions.ClustersDirectory to a directory of your own.");
        }

        var mode = File.GetUnixFileMode(root);
        var others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if ((mode & others) != 0)
        {
            File.SetUnixFileMode(root, mode & ~others);
        }
    }

    /// <summary>Creates a directory only its owner can enter (mode 0700).</summary>
    public static void CreatePrivateDirectory(string path) => CreateDirectory(path, Private);

    /// <summary>Writes a file only its owner can read (mode 0600): it is created that way, never readable for a moment.</summary>
    public static void WritePrivateFile(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(text);
    }

    /// <summary>
    /// The pid named by <c>postmaster.pid</c> in <paramref name="dataDirectory"/>, only when that process is a
    /// PostgreSQL server (its executable is <c>postgres</c>) running in exactly this data directory (its working
    /// directory, which the server sets to its data directory); 0 otherwise. A planted or stale pid file naming any
    /// other process yields 0, so nothing unrelated is ever signalled.
    /// </summary>
    public static int VerifiedPostmaster(string dataDirectory)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1)
            {
                return 0;
            }

            var executable = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            var workingDirectory = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
            var expected = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
            return Path.GetFileName(executable) == "postgres"
                && workingDirectory is not null
                && string.Equals(Path.TrimEndingDirectorySeparator(workingDirectory), expected, StringComparison.Ordinal)
                ? pid
                : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No pid file, no such process, or not ours to inspect: nothing is verified, so nothing is stopped.
            return 0;
        }
    }

    private static void CreateDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, mode);
        }
    }

    /// <summary>This process's effective user id, from <c>/proc/self/status</c>; <see langword="null"/> where there is none.</summary>
    private static string? EffectiveUserId()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: >= 3 } ? fields[2] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<string?> OwnerAsync(string path, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ExternalCommand.RunAsync("stat", ["-c", "%u", path], runAsUser: null, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return exitCode == 0 ? output.Trim() : null;
    }
}
