using System.Globalization;

namespace PerfRegression;

/// <summary>
/// Which test run a process belongs to, so that <c>summary.md</c> describes this run only. One <c>dotnet test</c>
/// starts several processes (a VSTest console and a test host per test project, MSBuild nodes) that share no id
/// of their own; they do share the <c>dotnet test</c> process as their topmost <c>dotnet</c> ancestor (the SDK
/// passes <c>-nodereuse:false</c>, so no process of an earlier run is in that chain). The run is named
/// by that ancestor's pid and start time, read from <c>/proc</c>. <c>PERF_RUN_ID</c>, when set, names the run
/// instead (any OS; CI sets it). Without either (not Linux, no <c>/proc</c>) the run is unknown and the summary
/// keeps every results file, as it did before runs were told apart.
/// </summary>
internal static class TestRun
{
    /// <summary>The variable that names the run explicitly, e.g. a CI job id.</summary>
    public const string Variable = "PERF_RUN_ID";

    private const int MaxDepth = 64;

    private static readonly Lazy<string?> FromProcess = new(() => Identify(Environment.GetEnvironmentVariable(Variable), Environment.ProcessId, ReadProcStat));

    /// <summary>This process's run, or <see langword="null"/> when it cannot be told.</summary>
    public static string? Current => FromProcess.Value;

    /// <summary>
    /// The run named by <paramref name="explicitId"/>, else by the topmost process of the chain of <c>dotnet</c>
    /// processes that leads from <paramref name="pid"/> upwards; <paramref name="stat"/> reads a process's
    /// <c>/proc/PID/stat</c> line (null when it is gone or there is no <c>/proc</c>).
    /// </summary>
    internal static string? Identify(string? explicitId, int pid, Func<int, string?> stat)
    {
        if (!string.IsNullOrWhiteSpace(explicitId))
        {
            return explicitId.Trim();
        }

        string? run = null;
        for (var depth = 0; depth < MaxDepth && Parse(stat(pid)) is { } process; depth++)
        {
            run = string.Create(CultureInfo.InvariantCulture, $"pid {pid} started at tick {process.StartTicks}");
            if (process.ParentId <= 1 || Parse(stat(process.ParentId)) is not { Name: "dotnet" })
            {
                break;
            }

            pid = process.ParentId;
        }

        return run;
    }

    /// <summary>The name, parent and start time (in clock ticks since boot) in a <c>/proc/PID/stat</c> line.</summary>
    internal static (string Name, int ParentId, long StartTicks)? Parse(string? line)
    {
        // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // priority nice threads itrealvalue starttime ...": comm may hold spaces and parentheses, so split after the last ')'.
        var open = line?.IndexOf('(', StringComparison.Ordinal) ?? -1;
        var close = line?.LastIndexOf(')') ?? -1;
        if (line is null || open < 0 || close < open)
        {
            return null;
        }

        var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19
            && int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            && long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            ? (line[(open + 1)..close], parent, start)
            : null;
    }

    internal static string? ReadProcStat(int pid)
    {
        try
        {
            return File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
