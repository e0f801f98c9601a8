using System.Diagnostics;

namespace PerfRegression.Measurement;

/// <summary>Operating-system resources of this process a leak can exhaust: open handles (file descriptors) and threads.</summary>
internal static class ProcessResources
{
    /// <summary>Open handles: the entries of <c>/proc/self/fd</c> on Linux, the process's handle count elsewhere.</summary>
    public static long? Handles()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                return Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount();
            }

            using var process = Process.GetCurrentProcess();
            return process.HandleCount;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The process's threads: the <c>Threads:</c> line of <c>/proc/self/status</c> on Linux, the process's thread list elsewhere.</summary>
    public static int? Threads()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("Threads:", StringComparison.Ordinal) && int.TryParse(line.AsSpan(8).Trim(), out var threads))
                    {
                        return threads;
                    }
                }

                return null;
            }

            using var process = Process.GetCurrentProcess();
            return process.Threads.Count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }
}
