using PerfRegression.Checks;
using System.Text.Json;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// The capacity baseline of one test (<c>baselines/&lt;profile&gt;/capacity/&lt;test&gt;.json</c>): what each of its
/// capacity searches found, on which machine. Kept apart from the latency baseline because a capacity search runs in
/// the full profile only and is recorded by another check.
/// </summary>
internal sealed class CapacityBaselineFile : IOwnBaselineFile<CapacityBaseline>
{
    /// <summary>How capacity baselines are stored.</summary>
    public static readonly OwnBaselineFormat<CapacityBaselineFile, CapacityBaseline> Format = new(Folder, "capacity", Read, Write, scenario => $"The capacity search of '{scenario}'");

    public const int CurrentSchemaVersion = 1;

    /// <summary>The folder under a profile's baselines that holds capacity baselines.</summary>
    public const string Folder = "capacity";

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string Test { get; set; } = string.Empty;

    public string Profile { get; set; } = string.Empty;

    public EnvironmentFingerprint? Environment { get; set; }

    /// <summary>The calibration workload's time on the recording machine, for normalising to another.</summary>
    public double CalibrationMilliseconds { get; set; }

    public List<CapacityBaseline> Searches { get; set; } = [];

    public CapacityBaseline? Search(string scenario) => Searches.FirstOrDefault(s => string.Equals(s.Scenario, scenario, StringComparison.Ordinal));

    public CapacityBaseline? Find(string name) => Search(name);

    /// <summary>Whether <paramref name="path"/> is a capacity baseline (or a received one) rather than a latency baseline.</summary>
    public static bool IsCapacityPath(string path)
        => string.Equals(Path.GetFileName(Path.GetDirectoryName(path)), Folder, StringComparison.Ordinal);

    /// <summary>Reads the file at <paramref name="path"/>, or <see langword="null"/> when there is none; <paramref name="test"/>, when given, must be the test it names.</summary>
    /// <exception cref="BaselineException">The file is corrupt, of an unknown schema, or for another test.</exception>
    public static CapacityBaselineFile? Read(string path, string? test)
    {
        const string Fix = "Restore it from version control, or record it again with PERF_BASELINE=update in the profile of the capacity test.";
        if (!File.Exists(path))
        {
            return null;
        }

        CapacityBaselineFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CapacityBaselineFile>(File.ReadAllText(path), JsonFormat.Options);
        }
        catch (JsonException ex)
        {
            throw new BaselineException(path, $"it is not valid capacity baseline JSON ({ex.Message})", Fix, ex);
        }

        var damage = file is null ? "it holds the JSON literal null"
            : file.SchemaVersion != CurrentSchemaVersion ? $"its schema version is {file.SchemaVersion}, and this version of PerfRegression reads capacity baselines of version {CurrentSchemaVersion}"
            : string.IsNullOrEmpty(file.Test) ? "it names no test ('test' is missing or empty)"
            : test is not null && !string.Equals(file.Test, test, StringComparison.Ordinal) ? $"it belongs to the test '{file.Test}', not to '{test}'"
            : file.Searches is null ? "it has no 'searches' list"
            : !double.IsFinite(file.CalibrationMilliseconds) || file.CalibrationMilliseconds < 0 ? "its calibrationMilliseconds is not a positive number"
            : file.Searches.FirstOrDefault(s => s is null || string.IsNullOrEmpty(s.Scenario) || !IsRate(s.WithinBudget) || (s.Breaking is { } b && (!IsRate(b) || b < s.WithinBudget))) is { } bad
                ? $"the search of '{bad?.Scenario}' has no scenario, or its withinBudget and breaking are not rates with breaking above withinBudget"
            : null;
        return damage is null ? file : throw new BaselineException(path, damage, Fix);
    }

    public static void Write(string path, CapacityBaselineFile file) => AtomicFile.Write(path, JsonSerializer.Serialize(file, JsonFormat.Options) + "\n");

    private static bool IsRate(double value) => double.IsFinite(value) && value > 0;
}

/// <summary>What one capacity search found when it was recorded as the baseline.</summary>
internal sealed class CapacityBaseline
{
    public string Scenario { get; set; } = string.Empty;

    /// <summary>The highest arrival rate within budget, iterations per second.</summary>
    public double WithinBudget { get; set; }

    /// <summary>The lowest that broke it; absent when nothing broke up to the highest rate tried.</summary>
    public double? Breaking { get; set; }

    /// <summary>The curve (rate → p95, errors, throughput), for review.</summary>
    public List<CapacityBaselineStep> Steps { get; set; } = [];

    public static CapacityBaseline Of(CapacityReport report) => new()
    {
        Scenario = report.Scenario,
        WithinBudget = Math.Round(report.WithinBudget ?? 0, 3),
        Breaking = report.Breaking is { } b ? Math.Round(b, 3) : null,
        Steps = report.Steps.OrderBy(s => s.Rate).Select(s => new CapacityBaselineStep
        {
            Rate = Math.Round(s.Rate, 3),
            Throughput = Math.Round(s.Throughput, 3),
            P95 = Math.Round(s.P95, 3),
            ErrorRate = Math.Round(s.ErrorRate, 6),
            WithinBudget = s.WithinBudget,
        }).ToList(),
    };
}

/// <summary>One step of a recorded capacity search.</summary>
internal sealed class CapacityBaselineStep
{
    public double Rate { get; set; }

    public double Throughput { get; set; }

    public double P95 { get; set; }

    public double ErrorRate { get; set; }

    public bool WithinBudget { get; set; }
}
