using System.Text.Json;

namespace PerfRegression;

/// <summary>
/// Finds, reads and writes baseline files: <c>{baselines}/{profile}/{Class}.{Method}.json</c>, with
/// <c>.received.json</c> beside it for a proposed change. Writes are atomic (a temporary file renamed
/// over the target), so a killed process leaves the old file intact, and concurrent writers never
/// interleave.
/// </summary>
internal sealed class BaselineStore
{
    public const string DirectoryName = "baselines";

    private static JsonSerializerOptions Json => JsonFormat.Options;

    public BaselineStore(string directory, string profile)
    {
        Directory = directory;
        Profile = profile;
    }

    public string Directory { get; }

    public string Profile { get; }

    /// <summary>The store for <paramref name="settings"/>: <c>PERF_BASELINE_DIR</c>, else <c>baselines/</c> at the repository root found above <paramref name="start"/>.</summary>
    public static BaselineStore Resolve(PerfSettings settings, string start)
    {
        if (settings.BaselineDirectory is { } configured)
        {
            return new BaselineStore(Path.GetFullPath(configured), settings.Profile);
        }

        return new BaselineStore(Path.Combine(RepositoryRoot(start), DirectoryName), settings.Profile);
    }

    /// <summary>The nearest directory above <paramref name="start"/> holding <c>baselines/</c>, else <c>.git</c> or a solution file.</summary>
    public static string RepositoryRoot(string start)
    {
        string? fallback = null;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, DirectoryName)))
            {
                return dir.FullName;
            }

            if (fallback is null && (System.IO.Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")) || dir.EnumerateFiles("*.sln*").Any()))
            {
                fallback = dir.FullName;
            }
        }

        return fallback ?? throw new InvalidOperationException(
            $"No repository root was found above {start} (a directory holding '{DirectoryName}/', '.git' or a solution file), so there is no place for baselines. "
            + $"Set {PerfSettings.BaselineDirectoryVariable} to the directory that holds them.");
    }

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

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAtomically(string path, string content)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}

/// <summary>A baseline file that cannot be used: says which file, what is wrong, and what to do.</summary>
public sealed class BaselineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BaselineException(string path, string problem, string fix, Exception? innerException = null)
        : base($"The baseline file {path} cannot be used: {problem}. {fix}", innerException)
    {
        Path = path;
    }

    /// <summary>Creates the exception with a message.</summary>
    public BaselineException(string message)
        : base(message)
    {
        Path = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BaselineException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public BaselineException()
        : this("A baseline file cannot be used.")
    {
    }

    /// <summary>The baseline file.</summary>
    public string Path { get; }
}
