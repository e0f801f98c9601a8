using System.Globalization;

namespace PerfRegression.Measurement;

/// <summary>
/// Busy and total CPU time of the whole machine, from Linux's <c>/proc/stat</c>: tells a CPU taken by
/// other processes apart from one taken by this process. Elsewhere it is unknown (<see langword="null"/>).
/// </summary>
internal static class MachineCpu
{
    private const string StatPath = "/proc/stat";

    /// <summary>Cumulative (busy, total) jiffies of all cores, or <see langword="null"/> when unavailable.</summary>
    public static (long Busy, long Total)? Read()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists(StatPath))
            {
                return null;
            }

            using var reader = new StreamReader(StatPath);
            var line = reader.ReadLine();
            return line is null ? null : Parse(line);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses the aggregate <c>cpu</c> line: user nice system idle iowait irq softirq steal ….</summary>
    internal static (long Busy, long Total)? Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[0] != "cpu")
        {
            return null;
        }

        long total = 0;
        var values = new long[Math.Min(fields.Length - 1, 8)];
        for (var i = 0; i < values.Length; i++)
        {
            if (!long.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }

            total += values[i];
        }

        var idle = values[3] + (values.Length > 4 ? values[4] : 0);
        return (total - idle, total);
    }

    /// <summary>The share of all cores that a process tree used (its jiffies at start and end) between two machine readings, or <see langword="null"/>.</summary>
    public static double? Share(long? startJiffies, long? endJiffies, (long Busy, long Total)? start, (long Busy, long Total)? end)
        => startJiffies is { } a && endJiffies is { } b && start is { } m0 && end is { } m1 && m1.Total > m0.Total
            ? Math.Clamp((double)(b - a) / (m1.Total - m0.Total), 0, 1)
            : null;

    /// <summary>The busy fraction between two readings, or <see langword="null"/>.</summary>
    public static double? Between((long Busy, long Total)? start, (long Busy, long Total)? end)
        => start is { } a && end is { } b && b.Total > a.Total ? Math.Clamp((double)(b.Busy - a.Busy) / (b.Total - a.Total), 0, 1) : null;
}
