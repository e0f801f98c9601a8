using System.Diagnostics;
using System.Globalization;

namespace PerfRegression.Benchmarks.Support;

/// <summary>
/// The CPU time of every task on the machine, in nanoseconds, from the root cgroup's scheduler accounting
/// (cgroup v1 <c>cpuacct.usage</c>, or v2 <c>cpu.stat</c> <c>usage_usec</c>), which is exact. <c>/proc/stat</c>,
/// which the library reads, is sampled at the scheduler tick and on this tickless kernel misses most of the short
/// bursts of an in-process load test (it reported 0.25 of all cores while this process alone used 0.52). A
/// benchmark-side check only: <see langword="null"/> where neither file is readable.
/// </summary>
internal static class MachineCpuClock
{
    private const string V1 = "/sys/fs/cgroup/cpuacct/cpuacct.usage";
    private const string V2 = "/sys/fs/cgroup/cpu.stat";

    public static Reading Read() => new(MachineNanoseconds(), Environment.CpuUsage.TotalTime, Stopwatch.GetTimestamp());

    /// <summary>The share of all cores used by other processes between two readings, or NaN where unknown.</summary>
    public static double OthersShare(Reading start, Reading end)
    {
        if (start.MachineNanoseconds is not { } a || end.MachineNanoseconds is not { } b)
        {
            return double.NaN;
        }

        var wall = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds * Environment.ProcessorCount;
        var others = ((b - a) / 1e9) - (end.ProcessCpu - start.ProcessCpu).TotalSeconds;
        return wall <= 0 ? double.NaN : Math.Clamp(others / wall, 0, 1);
    }

    private static long? MachineNanoseconds()
    {
        try
        {
            if (File.Exists(V1))
            {
                return long.Parse(File.ReadAllText(V1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }

            if (File.Exists(V2))
            {
                var line = File.ReadLines(V2).FirstOrDefault(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
                return line is null ? null : long.Parse(line["usage_usec ".Length..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture) * 1000;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }

        return null;
    }

    public readonly record struct Reading(long? MachineNanoseconds, TimeSpan ProcessCpu, long Timestamp);
}
