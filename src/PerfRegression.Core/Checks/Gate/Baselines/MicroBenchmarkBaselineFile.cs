using System.Text.Json;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// The micro-benchmark baseline of one test (<c>baselines/&lt;profile&gt;/micro/&lt;test&gt;.json</c>): each benchmark's
/// time per operation of every measured iteration (the gate's trials) and its allocations, on which machine.
/// </summary>
internal sealed class MicroBenchmarkBaselineFile : IOwnBaselineFile<MicroBenchmarkBaseline>
{
    /// <summary>How micro-benchmark baselines are stored.</summary>
    public static readonly OwnBaselineFormat<MicroBenchmarkBaselineFile, MicroBenchmarkBaseline> Format = new(Folder, "micro-benchmark", Read, Write, benchmark => $"The micro-benchmark {benchmark}");

    public const int CurrentSchemaVersion = 1;

    /// <summary>The folder under a profile's baselines that holds micro-benchmark baselines.</summary>
    public const string Folder = "micro";

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string Test { get; set; } = string.Empty;

    public string Profile { get; set; } = string.Empty;

    public EnvironmentFingerprint? Environment { get; set; }

    public double CalibrationMilliseconds { get; set; }

    public List<MicroBenchmarkBaseline> Benchmarks { get; set; } = [];

    public MicroBenchmarkBaseline? Benchmark(string name) => Benchmarks.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.Ordinal));

    public MicroBenchmarkBaseline? Find(string name) => Benchmark(name);

    /// <summary>Reads the file at <paramref name="path"/>, or <see langword="null"/> when there is none; <paramref name="test"/>, when given, must be the test it names.</summary>
    /// <exception cref="BaselineException">The file is corrupt, of an unknown schema, or for another test.</exception>
    public static MicroBenchmarkBaselineFile? Read(string path, string? test)
    {
        const string Fix = "Restore it from version control, or record it again with PERF_BASELINE=update.";
        if (!File.Exists(path))
        {
            return null;
        }

        MicroBenchmarkBaselineFile? file;
        try
        {
            file = JsonSerializer.Deserialize<MicroBenchmarkBaselineFile>(File.ReadAllText(path), JsonFormat.Options);
        }
        catch (JsonException ex)
        {
            throw new BaselineException(path, $"it is not valid micro-benchmark baseline JSON ({ex.Message})", Fix, ex);
        }

        var damage = file is null ? "it holds the JSON literal null"
            : file.SchemaVersion != CurrentSchemaVersion ? $"its schema version is {file.SchemaVersion}, and this version of PerfRegression reads micro-benchmark baselines of version {CurrentSchemaVersion}"
            : string.IsNullOrEmpty(file.Test) ? "it names no test ('test' is missing or empty)"
            : test is not null && !string.Equals(file.Test, test, StringComparison.Ordinal) ? $"it belongs to the test '{file.Test}', not to '{test}'"
            : file.Benchmarks is null ? "it has no 'benchmarks' list"
            : !double.IsFinite(file.CalibrationMilliseconds) || file.CalibrationMilliseconds < 0 ? "its calibrationMilliseconds is not a positive number"
            : file.Benchmarks.FirstOrDefault(b => b is null || string.IsNullOrEmpty(b.Name) || b.IterationNanoseconds is not { Count: > 0 } || b.IterationNanoseconds.Any(v => !double.IsFinite(v) || v <= 0) || b.AllocatedBytesPerOperation is < 0) is { } bad
                ? $"the benchmark '{bad?.Name}' has no name, no iterations, a time that is not positive, or negative allocations"
            : null;
        return damage is null ? file : throw new BaselineException(path, damage, Fix);
    }

    public static void Write(string path, MicroBenchmarkBaselineFile file) => AtomicFile.Write(path, JsonSerializer.Serialize(file, JsonFormat.Options) + "\n");
}

/// <summary>One benchmark as recorded in the baseline.</summary>
internal sealed class MicroBenchmarkBaseline
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Time per operation of each measured iteration, nanoseconds.</summary>
    public List<double> IterationNanoseconds { get; set; } = [];

    public long Operations { get; set; }

    public double? AllocatedBytesPerOperation { get; set; }

    public double? Gen0Per1000Operations { get; set; }

    /// <summary>The calibration workload's time on the measuring thread around the measurement, milliseconds.</summary>
    public double? CalibrationMilliseconds { get; set; }

    /// <summary>The memory probe's time on the measuring thread around the measurement, milliseconds.</summary>
    public double? MemoryProbeMilliseconds { get; set; }

    public static MicroBenchmarkBaseline Of(MicroBenchmarkResult result) => new()
    {
        Name = result.Benchmark,
        IterationNanoseconds = result.IterationNanoseconds.Select(v => Math.Round(v, 3)).ToList(),
        Operations = result.Operations,
        AllocatedBytesPerOperation = result.AllocatedBytesPerOperation is { } bytes ? Math.Round(bytes, 1) : null,
        Gen0Per1000Operations = result.Gen0Per1000Operations is { } gen0 ? Math.Round(gen0, 4) : null,
        CalibrationMilliseconds = result.CalibrationMilliseconds,
        MemoryProbeMilliseconds = result.MemoryProbeMilliseconds,
    };
}
