using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace PerfRegression;

/// <summary>
/// What a baseline's numbers depend on: OS, CPU model, cores, runtime, GC mode, build configuration,
/// container limits. Two fingerprints that differ are never compared silently.
/// </summary>
public sealed record EnvironmentFingerprint
{
    /// <summary>The operating system, e.g. <c>Linux (Debian GNU/Linux 12)</c>.</summary>
    public required string Os { get; init; }

    /// <summary>The CPU model name.</summary>
    public required string CpuModel { get; init; }

    /// <summary>Logical cores available to the process.</summary>
    public required int Cores { get; init; }

    /// <summary>The .NET runtime, major.minor only (patches do not move baselines), e.g. <c>.NET 10.0</c>.</summary>
    public required string Runtime { get; init; }

    /// <summary>GC mode, e.g. <c>workstation, concurrent</c>.</summary>
    public required string GcMode { get; init; }

    /// <summary>Build configuration of the test assembly: <c>Debug</c> or <c>Release</c>.</summary>
    public required string Configuration { get; init; }

    /// <summary>
    /// Whether the code under measurement (the app a target served, its own libraries, and this library) was built with
    /// optimisation: <c>optimized</c>, or <c>not optimized: A, B</c> naming the assemblies built without it;
    /// <see langword="null"/> when unknown (a baseline recorded before it was kept). Not one of the
    /// <see cref="DifferencesFrom"/>: the regression gate judges a different build itself, as no calibration can scale it.
    /// </summary>
    public string? Build { get; init; }

    /// <summary>The container's CPU limit in cores (cgroup), or <see langword="null"/> when unlimited.</summary>
    public double? ContainerCpuLimit { get; init; }

    /// <summary>The container's memory limit in bytes (cgroup), or <see langword="null"/> when unlimited.</summary>
    public long? ContainerMemoryLimit { get; init; }

    /// <summary>The fingerprint of this process; the build configuration is read from <paramref name="testAssembly"/> (default: the entry assembly).</summary>
    public static EnvironmentFingerprint Current(Assembly? testAssembly = null) => new()
    {
        Os = $"{OsFamily()} ({RuntimeInformation.OSDescription.Trim()})",
        CpuModel = CpuModelName(),
        Cores = Environment.ProcessorCount,
        Runtime = $".NET {Environment.Version.Major}.{Environment.Version.Minor}",
        GcMode = (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? ", non-concurrent" : ", concurrent"),
        Configuration = ConfigurationOf(testAssembly),
        ContainerCpuLimit = CgroupCpuLimit(),
        ContainerMemoryLimit = CgroupMemoryLimit(),
    };

    /// <summary>Each difference, as <c>"CPU model: A → B"</c>; empty when the environments match.</summary>
    public IReadOnlyList<string> DifferencesFrom(EnvironmentFingerprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        Add("OS", OsFamilyOf(Os), OsFamilyOf(other.Os));
        Add("CPU model", CpuModel, other.CpuModel);
        Add("cores", Cores.ToString(System.Globalization.CultureInfo.InvariantCulture), other.Cores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("runtime", Runtime, other.Runtime);
        Add("GC mode", GcMode, other.GcMode);
        Add("configuration", Configuration, other.Configuration);
        Add("container CPU limit", ContainerCpuLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", other.ContainerCpuLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
        Add("container memory limit", ContainerMemoryLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", other.ContainerMemoryLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
        return differences;

        void Add(string what, string baseline, string current)
        {
            if (!string.Equals(baseline, current, StringComparison.Ordinal))
            {
                differences.Add($"{what}: {baseline} → {current}");
            }
        }
    }

    // The distribution's version string changes with security updates; only the family matters.
    private static string OsFamilyOf(string os) => os.Split(' ', 2)[0];

    private static string OsFamily() => OperatingSystem.IsLinux() ? "Linux" : OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "macOS" : "Other";

    private static string CpuModelName()
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null)
                {
                    return string.Join(' ', line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                }
            }
        }
        catch (IOException)
        {
            // Fall through to the architecture.
        }
        catch (UnauthorizedAccessException)
        {
            // Fall through to the architecture.
        }

        return Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string ConfigurationOf(Assembly? assembly)
    {
        var debuggable = (assembly ?? Assembly.GetEntryAssembly())?.GetCustomAttribute<System.Diagnostics.DebuggableAttribute>();
        return debuggable?.IsJITOptimizerDisabled == true ? "Debug" : "Release";
    }

    private static double? CgroupCpuLimit()
    {
        var text = ReadFirstLine("/sys/fs/cgroup/cpu.max");
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(' ');
        return parts.Length == 2 && parts[0] != "max" && double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var quota) && double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var period) && period > 0
            ? Math.Round(quota / period, 2)
            : null;
    }

    private static long? CgroupMemoryLimit()
    {
        var text = ReadFirstLine("/sys/fs/cgroup/memory.max");
        return text is not null && text != "max" && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var limit) ? limit : null;
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
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
}
