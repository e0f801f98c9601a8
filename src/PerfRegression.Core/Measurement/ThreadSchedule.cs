using System.Globalization;

namespace PerfRegression.Measurement;

/// <summary>
/// The kernel's scheduler statistics of this process's threads (<c>/proc/self/task/*/schedstat</c>: time on a core
/// and time waiting, runnable, for one, in nanoseconds). Two readings give how long the threads waited for a core (the
/// delay other programs' CPU use can add to a request; a slowdown far larger than its growth is not the machine's
/// doing) and how much CPU the runtime's tiered-compilation thread used (JIT work that goes on for seconds after
/// start-up and lands in a measurement more or less by chance, not a cost of the code). Linux only; threads that exit
/// between two readings take their share with them, so both are lower bounds.
/// </summary>
internal static class ThreadSchedule
{
    // The runtime names its background tiering thread ".NET Tiered Compilation Worker"; the kernel keeps 15 characters.
    private const string TieringThread = ".NET Tiered Com";

    /// <summary>Each live thread's statistics so far, by thread id; <see langword="null"/> where the kernel does not report them.</summary>
    public static IReadOnlyDictionary<int, Times>? Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var times = new Dictionary<int, Times>();
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    continue;
                }

                string schedstat, name;
                try
                {
                    schedstat = File.ReadAllText(Path.Combine(task, "schedstat"));
                    name = File.ReadAllText(Path.Combine(task, "comm"));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue; // the thread exited while we read
                }

                var fields = schedstat.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2
                    && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var onCpu)
                    && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var waited))
                {
                    times[id] = new Times(onCpu, waited, name.StartsWith(TieringThread, StringComparison.Ordinal));
                }
            }

            return times.Count > 0 ? times : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Between two readings, each thread alive at the end counted from its first reading (or from its start, when new):
    /// the threads' wait for a core, and the tiering thread's CPU time.
    /// </summary>
    public static (TimeSpan Waited, TimeSpan TieringCpu)? Between(IReadOnlyDictionary<int, Times>? start, IReadOnlyDictionary<int, Times>? end)
    {
        if (start is null || end is null)
        {
            return null;
        }

        long waited = 0, tiering = 0;
        foreach (var (id, now) in end)
        {
            var before = start.TryGetValue(id, out var first) ? first : default;
            waited += Math.Max(0, now.Waited - before.Waited);
            if (now.Tiering)
            {
                tiering += Math.Max(0, now.OnCpu - before.OnCpu);
            }
        }

        return (TimeSpan.FromTicks(waited / 100), TimeSpan.FromTicks(tiering / 100));
    }

    /// <param name="OnCpu">Nanoseconds on a core.</param>
    /// <param name="Waited">Nanoseconds runnable, waiting for a core.</param>
    /// <param name="Tiering">Whether this is the runtime's tiered-compilation thread.</param>
    internal readonly record struct Times(long OnCpu, long Waited, bool Tiering);
}
