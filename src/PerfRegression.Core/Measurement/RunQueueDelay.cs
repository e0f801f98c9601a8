using System.Globalization;

namespace PerfRegression.Measurement;

/// <summary>
/// How long this process's threads waited, runnable, for a core: the kernel's scheduler statistics
/// (<c>/proc/self/task/*/schedstat</c>, second field, nanoseconds), summed over the live threads. This is the
/// delay other programs' CPU use can add to a request; a slowdown far larger than its growth is not the
/// machine's doing. Linux only; threads that exit between two readings take their share with them, so it is a
/// lower bound.
/// </summary>
internal static class RunQueueDelay
{
    /// <summary>Each live thread's wait so far, by thread id; <see langword="null"/> where the kernel does not report it.</summary>
    public static IReadOnlyDictionary<int, long>? Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var waits = new Dictionary<int, long>();
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    continue;
                }

                string text;
                try
                {
                    text = File.ReadAllText(Path.Combine(task, "schedstat"));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue; // the thread exited while we read
                }

                var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var wait))
                {
                    waits[id] = wait;
                }
            }

            return waits.Count > 0 ? waits : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The wait between two readings: each thread alive at the end, from its first reading (or from its start, when it is new).</summary>
    public static TimeSpan? Between(IReadOnlyDictionary<int, long>? start, IReadOnlyDictionary<int, long>? end)
    {
        if (start is null || end is null)
        {
            return null;
        }

        long nanoseconds = 0;
        foreach (var (id, wait) in end)
        {
            nanoseconds += Math.Max(0, wait - start.GetValueOrDefault(id));
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }
}
