using System.Collections.Concurrent;
using System.Globalization;

namespace PerfRegression.Measurement;

/// <summary>
/// Processes that belong to the system under test although they run outside this process, such as the
/// PostgreSQL cluster a fixture started. Their CPU is the system's own work, not a disturbance: runtime
/// health reports it apart and never counts it as "other processes". A fixture that starts a server for the
/// system under test registers it here (the PostgreSQL package does for its clusters).
/// </summary>
public static class ServerProcesses
{
    private static readonly ConcurrentDictionary<int, string> Roots = new();

    /// <summary>Registers the process tree rooted at <paramref name="rootProcessId"/> until the returned scope is disposed.</summary>
    /// <param name="rootProcessId">The server's main process; its children (e.g. PostgreSQL's backends) count with it.</param>
    /// <param name="description">What the server is, e.g. <c>PostgreSQL</c>.</param>
    /// <returns>Dispose it when the server stops.</returns>
    public static IDisposable Register(int rootProcessId, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Roots[rootProcessId] = description;
        return new Registration(rootProcessId);
    }

    /// <summary>/proc reports CPU time in clock ticks of USER_HZ, which Linux fixes at 100 per second for user space.</summary>
    internal static TimeSpan ToTime(long jiffies) => TimeSpan.FromSeconds(Math.Max(0, jiffies) / 100.0);

    /// <summary>
    /// Cumulative CPU jiffies of every registered tree: each root's own and reaped children's time, plus its
    /// live descendants' time. <see langword="null"/> when nothing is registered or /proc is unreadable.
    /// </summary>
    internal static long? ReadJiffies()
    {
        if (Roots.IsEmpty || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var stats = new List<(int Pid, int Parent, long Own, long Reaped)>();
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ReadStat(pid) is { } stat)
                {
                    stats.Add(stat);
                }
            }

            var children = stats.ToLookup(s => s.Parent);
            long total = 0;
            foreach (var root in Roots.Keys)
            {
                if (stats.FirstOrDefault(s => s.Pid == root) is not { Pid: > 0 } rootStat)
                {
                    continue;
                }

                // Exited children's time moves into the parent's reaped time; live ones are counted directly.
                total += rootStat.Own + rootStat.Reaped;
                var pending = new Stack<int>([root]);
                while (pending.Count > 0)
                {
                    foreach (var child in children[pending.Pop()])
                    {
                        total += child.Own;
                        pending.Push(child.Pid);
                    }
                }
            }

            return total;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (int Pid, int Parent, long Own, long Reaped)? ReadStat(int pid)
    {
        try
        {
            var stat = ProcStat.Read(pid);
            return (pid, (int)stat.Number(4), stat.Number(14) + stat.Number(15), stat.Number(16) + stat.Number(17));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private sealed class Registration(int pid) : IDisposable
    {
        public void Dispose() => Roots.TryRemove(pid, out _);
    }
}
