using System.Text.Json;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Finds, reads and writes baseline files: <c>{baselines}/{profile}/{Class}.{Method}.json</c>, with
/// <c>.received.json</c> beside it for a proposed change. Writes are atomic (see <see cref="AtomicFile"/>).
/// </summary>
internal sealed class BaselineStore
{
    private static JsonSerializerOptions Json => JsonFormat.Options;

    public BaselineStore(string directory, string profile)
    {
        Directory = directory;
        Profile = profile;
    }

    public string Directory { get; }

    public string Profile { get; }

    public string PathOf(TestIdentity test) => Path.Combine(Directory, Profile, test.FileName + ".json");

    public static string ReceivedPathOf(string baselinePath) => Path.ChangeExtension(baselinePath, ".received.json");

    /// <summary>Reads the baseline of <paramref name="test"/>, or <see langword="null"/> when there is none.</summary>
    /// <exception cref="BaselineException">The file is corrupt, of an unknown schema, or for another test.</exception>
    public BaselineFile? Read(TestIdentity test)
    {
        var path = PathOf(test);
        if (!File.Exists(path))
        {
            return null;
        }

        BaselineFile? file;
        try
        {
            file = JsonSerializer.Deserialize<BaselineFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new BaselineException(path, $"it is not valid baseline JSON ({ex.Message})", "Restore it from version control, or delete it and record it again with PERF_BASELINE=update.", ex);
        }

        if (file is null)
        {
            throw new BaselineException(path, "it holds the JSON literal null", "Delete it and record it again with PERF_BASELINE=update.");
        }

        if (file.SchemaVersion != BaselineFile.CurrentSchemaVersion)
        {
            throw new BaselineException(path, $"its schema version is {file.SchemaVersion}, and this version of PerfRegression reads version {BaselineFile.CurrentSchemaVersion}", "Record it again with PERF_BASELINE=update, or use the PerfRegression version that wrote it.");
        }

        if (!string.Equals(file.Test, test.FullName, StringComparison.Ordinal))
        {
            throw new BaselineException(path, $"it belongs to the test '{file.Test}', not to '{test.FullName}' (two tests map to one file name, or the file was copied)", "Rename one of the tests, or delete the file and record it again with PERF_BASELINE=update.");
        }

        foreach (var route in file.Scenarios.SelectMany(s => s.Routes))
        {
            if (route.TrialStatistics.Values.Any(v => v.Count == 0 || v.Any(x => !double.IsFinite(x) || x <= 0)) || route.TrialStatistics.Count == 0)
            {
                throw new BaselineException(path, $"route '{route.Name}' has missing or non-positive trial statistics", "Restore it from version control, or record it again with PERF_BASELINE=update.");
            }
        }

        return file;
    }

    public static string Serialize(BaselineFile file) => JsonSerializer.Serialize(file, Json) + "\n";

    /// <summary>Writes <paramref name="file"/> to <paramref name="path"/> atomically: a killed run leaves the old file intact.</summary>
    public static void Write(string path, BaselineFile file) => AtomicFile.Write(path, Serialize(file));
}

/// <summary>A baseline file that cannot be used: says which file, what is wrong, and what to do. The gate reports it as a problem of the test.</summary>
internal sealed class BaselineException(string path, string problem, string fix, Exception? innerException = null)
    : Exception($"The baseline file {path} cannot be used: {problem}. {fix}", innerException)
{
    /// <summary>The baseline file.</summary>
    public string Path { get; } = path;
}
