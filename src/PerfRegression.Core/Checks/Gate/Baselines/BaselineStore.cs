using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>
    /// The baselines beside <paramref name="test"/>'s in its profile's folder (received files left out), for what they
    /// say together; a file that cannot be read is skipped here (its own test reports it).
    /// </summary>
    public IReadOnlyList<BaselineFile> ReadSiblings(TestIdentity test)
    {
        var folder = Path.Combine(Directory, Profile);
        if (!System.IO.Directory.Exists(folder))
        {
            return [];
        }

        var own = PathOf(test);
        var files = new List<BaselineFile>();
        foreach (var path in System.IO.Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            if (path.EndsWith(".received.json", StringComparison.Ordinal) || string.Equals(path, own, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                if (ReadPath(path, test: null) is { } file)
                {
                    files.Add(file);
                }
            }
            catch (BaselineException)
            {
                // Reported by the test the file belongs to.
            }
        }

        return files;
    }

    /// <summary>Reads the baseline of <paramref name="test"/>, or <see langword="null"/> when there is none.</summary>
    /// <exception cref="BaselineException">The file is corrupt, of an unknown schema, or for another test.</exception>
    public BaselineFile? Read(TestIdentity test) => ReadPath(PathOf(test), test.FullName);

    /// <summary>Reads the baseline file at <paramref name="path"/>, or <see langword="null"/> when there is none; <paramref name="test"/>, when given, must be the test it names.</summary>
    /// <exception cref="BaselineException">The file is corrupt, of an unknown schema, or for another test.</exception>
    public static BaselineFile? ReadPath(string path, string? test)
    {
        // Temporary files of writers killed mid-write would otherwise stay forever.
        AtomicFile.RemoveStale(Path.GetDirectoryName(path)!);
        if (System.IO.Directory.Exists(path))
        {
            throw new BaselineException(path, "it is a directory, not a file", "Remove the directory; the baseline is recorded there as a file.");
        }

        if (!File.Exists(path))
        {
            return null;
        }

        JsonNode? node;
        BaselineFile? file;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
            file = node?.Deserialize<BaselineFile>(Json);
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

        if (string.IsNullOrEmpty(file.Test))
        {
            throw new BaselineException(path, "it names no test ('test' is missing or empty)", "Restore it from version control, or record it again with PERF_BASELINE=update.");
        }

        if (test is not null && !string.Equals(file.Test, test, StringComparison.Ordinal))
        {
            throw new BaselineException(path, $"it belongs to the test '{file.Test}', not to '{test}' (two tests map to one file name, or the file was copied)", "Rename one of the tests, or delete the file and record it again with PERF_BASELINE=update.");
        }

        if ((Missing(node!) ?? Damage(file)) is { } damage)
        {
            throw new BaselineException(path, damage, "Restore it from version control, or record it again with PERF_BASELINE=update.");
        }

        return file;
    }

    /// <summary>
    /// A list the file leaves out, which would otherwise read as empty (an absent list and an empty one are not the same
    /// file): the scenarios, or a scenario's routes.
    /// </summary>
    private static string? Missing(JsonNode node)
    {
        if (node is not JsonObject root || !root.ContainsKey("scenarios"))
        {
            return "it has no 'scenarios' list";
        }

        foreach (var scenario in root["scenarios"] as JsonArray ?? [])
        {
            if (scenario is JsonObject entry && !entry.ContainsKey("routes"))
            {
                var name = entry["name"] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? $" ('{text}')" : string.Empty;
                return $"a scenario{name} has no name or no 'routes' list";
            }
        }

        return null;
    }

    /// <summary>
    /// What makes a parsed file unusable, or <see langword="null"/>: missing lists, nameless entries, trial statistics
    /// that are missing, empty, non-finite or not positive, a calibration time that is not a positive number. A file
    /// the library wrote has none of these; an edited or truncated one must fail the test, never crash it or switch
    /// the comparison off.
    /// </summary>
    private static string? Damage(BaselineFile file)
    {
        if (!double.IsFinite(file.CalibrationMilliseconds) || file.CalibrationMilliseconds < 0)
        {
            return $"its calibrationMilliseconds is {Formatting.Number(file.CalibrationMilliseconds, "0.###")}; it is the calibration workload's time and must be a positive number (0 when it was not measured)";
        }

        if (file.Scenarios is null)
        {
            return "it has no 'scenarios' list";
        }

        foreach (var scenario in file.Scenarios)
        {
            if (scenario is null || string.IsNullOrEmpty(scenario.Name) || scenario.Routes is null)
            {
                return $"a scenario{(scenario is null || string.IsNullOrEmpty(scenario.Name) ? string.Empty : $" ('{scenario.Name}')")} has no name or no 'routes' list";
            }

            scenario.Costs ??= new(StringComparer.Ordinal);
            foreach (var (cost, values) in scenario.Costs)
            {
                if (!GateStatistic.Costs.Any(c => string.Equals(c.Name, cost, StringComparison.Ordinal)))
                {
                    return $"scenario '{scenario.Name}' has an unknown cost '{cost}' (known: {string.Join(", ", GateStatistic.Costs.Select(c => c.Name))})";
                }

                if (values is null || values.Count == 0 || values.Any(x => !double.IsFinite(x) || x < 0))
                {
                    return $"scenario '{scenario.Name}' has missing or negative values of its cost '{cost}'";
                }

                if (scenario.Trials > 0 && values.Count != scenario.Trials)
                {
                    return $"scenario '{scenario.Name}' has {Formatting.Plural(values.Count, "value", "values")} of its cost '{cost}' for {Formatting.Plural(scenario.Trials, "trial", "trials")}";
                }
            }

            foreach (var route in scenario.Routes)
            {
                if (route is null || string.IsNullOrEmpty(route.Name))
                {
                    return $"scenario '{scenario.Name}' has a route without a name";
                }

                var statistics = route.TrialStatistics;
                var missing = statistics is null ? [.. GatePolicy.KnownStatistics] : GatePolicy.KnownStatistics.Where(s => !statistics.ContainsKey(s)).ToArray();
                if (missing.Length > 0)
                {
                    return $"route '{route.Name}' has no trial statistics for {string.Join(", ", missing)}";
                }

                if (statistics!.Values.Any(v => v is null || v.Count == 0 || v.Any(x => !double.IsFinite(x) || x <= 0)))
                {
                    return $"route '{route.Name}' has missing or non-positive trial statistics";
                }

                if (!Decodes(route.Histogram))
                {
                    // Extending merges it; an edited one must fail here rather than crash there.
                    return $"route '{route.Name}' has a histogram that is not a Base64 HdrHistogram";
                }
            }
        }

        return null;
    }

    private static bool Decodes(string? histogram)
    {
        if (string.IsNullOrEmpty(histogram))
        {
            return false;
        }

        try
        {
            LatencyDistribution.Decode(histogram);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
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
