using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PerfRegression.Text;

/// <summary>
/// Writes a file so that readers see the old content or the new, never a part: a temporary file beside it is
/// flushed to disk and renamed over the target. A killed process leaves the old file intact, and concurrent
/// writers never interleave. Baselines and results are written this way.
/// </summary>
/// <remarks>
/// A process killed mid-write leaves its temporary file behind (<c>{file}.{pid}-{id}.tmp</c>). The next write into
/// the folder, and the next baseline read, remove such files: only names of this form, and only when the process
/// that wrote them is gone or they are older than <see cref="StaleAge"/>, so a write in progress is never touched.
/// </remarks>
internal static partial class AtomicFile
{
    /// <summary>A temporary file older than this is abandoned whoever wrote it: a write takes milliseconds.</summary>
    public static readonly TimeSpan StaleAge = TimeSpan.FromMinutes(15);

    public static void Write(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        RemoveStale(directory);
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// Removes the temporary files that killed writers left in <paramref name="directory"/>: files named as
    /// <see cref="Write"/> names them (or as earlier versions did, without the process id: by age only) whose process
    /// is no longer running, or older than <see cref="StaleAge"/>. Best effort: a file it cannot remove stays.
    /// </summary>
    /// <returns>How many files were removed.</returns>
    public static int RemoveStale(string directory)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.tmp").ToArray() : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        var removed = 0;
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        foreach (var file in candidates)
        {
            var match = TemporaryName().Match(Path.GetFileName(file));
            if (!match.Success)
            {
                continue;
            }

            try
            {
                var old = now - File.GetLastWriteTimeUtc(file) > StaleAge;
                var writerGone = match.Groups["pid"].Success
                    && int.TryParse(match.Groups["pid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && !IsRunning(pid);
                if (old || writerGone)
                {
                    File.Delete(file);
                    removed++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another process removed it first, or it is not ours to remove: leave it.
            }
        }

        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // {target}.{pid}-{32 hex}.tmp, or {target}.{32 hex}.tmp as written before the process id was part of the name.
    [GeneratedRegex(@"^.+\.(?:(?<pid>[0-9]{1,10})-)?[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryName();
}
