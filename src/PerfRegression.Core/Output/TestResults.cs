using System.Text.Json;

namespace PerfRegression;

/// <summary>The trials one scenario of a test measured, each a whole <see cref="LoadReport"/> with its histograms.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Trials">Its trials, in the order they ran; their exact merge is the report the test's checks saw.</param>
public sealed record ScenarioTrials(string Scenario, IReadOnlyList<LoadReport> Trials)
{
    /// <summary>
    /// When the trials come from several runs (separate processes, e.g. the rounds of <c>dotnet perf ab</c>): how many
    /// each run made, in order, summing to the trials' count. Null when one run made them all.
    /// </summary>
    public IReadOnlyList<int>? Runs { get; init; }
}

/// <summary>
/// One test's results file (<c>{results}/tests/{Class}.{Method}.json</c>) read back: the verdict, and every scenario's
/// trials with their histograms, so that two runs can be compared, or parallel runs merged, exactly, after the fact.
/// </summary>
/// <param name="FileName">The file's name without <c>.json</c>, e.g. <c>PlanTests.Calendar</c>.</param>
/// <param name="Verdict">The test's verdict.</param>
/// <param name="Scenarios">Every scenario's trials; empty for a test that recorded no load.</param>
/// <param name="Run">The test run that wrote it, when it could be told.</param>
public sealed record TestResults(string FileName, TestVerdict Verdict, IReadOnlyList<ScenarioTrials> Scenarios, string? Run = null)
{
    /// <summary>The test's name: the verdict's, else the file's.</summary>
    public string Test => Verdict.Test ?? FileName;

    /// <summary>Reads every results file of a results directory (its <c>tests/</c> folder), ordered by test.</summary>
    /// <param name="resultsDirectory">A results directory, e.g. <c>artifacts/perf</c>, or its <c>tests</c> folder.</param>
    /// <exception cref="PerfResultsException">The folder is missing or holds no results, or a file is of another version or not a results file.</exception>
    public static IReadOnlyList<TestResults> ReadDirectory(string resultsDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resultsDirectory);
        var tests = Path.GetFileName(Path.TrimEndingDirectorySeparator(resultsDirectory)) == "tests" ? resultsDirectory : Path.Combine(resultsDirectory, "tests");
        if (!Directory.Exists(tests))
        {
            throw new PerfResultsException($"No results at {Path.GetFullPath(resultsDirectory)}: there is no tests/ folder. A performance test run writes its results to artifacts/perf (or PERF_RESULTS_DIR); give that folder.");
        }

        var files = Directory.GetFiles(tests, "*.json").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new PerfResultsException($"No results files in {Path.GetFullPath(tests)}. Run the performance tests (dotnet test --filter Category=Performance) to write them.");
        }

        return files.Select(ReadFile).OrderBy(r => r.Test, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Reads one results file.</summary>
    /// <exception cref="PerfResultsException">The file is missing, of another version, or not a results file.</exception>
    public static TestResults ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PerfResultsException($"The results file {path} could not be read: {ex.Message}", ex);
        }

        var name = Path.GetFileNameWithoutExtension(path);
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException ex)
        {
            throw new PerfResultsException($"{path} is not a results file: it is not JSON ({ex.Message}).", ex);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number)
        {
            throw new PerfResultsException($"{path} is not a results file: it has no schemaVersion. Results files are written by performance tests to artifacts/perf/tests.");
        }

        if (version.GetInt32() != ResultsWriter.SchemaVersion)
        {
            throw new PerfResultsException($"{path} is a results file of version {version.GetInt32()}, and this PerfRegression reads version {ResultsWriter.SchemaVersion}. Run the tests again with this version, or use the tool of the version that wrote it.");
        }

        var file = ResultsWriter.ReadResultFile(json)
            ?? throw new PerfResultsException($"{path} is not a complete results file (no verdict). Run the tests again to write it.");
        try
        {
            var scenarios = (file.Trials ?? []).Select(s => new ScenarioTrials(s.Scenario ?? string.Empty, (s.Reports ?? []).Select(r => LoadReport.FromJson(r.GetRawText())).ToArray())).ToArray();
            return new TestResults(name, file.Verdict!, scenarios, file.Run);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            throw new PerfResultsException($"{path} has a trial that cannot be read ({ex.Message}). Run the tests again to write it.", ex);
        }
    }

    /// <summary>Writes this test's results file into <paramref name="resultsDirectory"/> and regenerates its <c>summary.md</c>.</summary>
    public void WriteTo(string resultsDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resultsDirectory);
        ResultsWriter.Write(resultsDirectory, FileName, Verdict, Run, Scenarios);
    }
}

/// <summary>Results files that cannot be used: a missing folder, a file of another version, a file that is not a results file.</summary>
public sealed class PerfResultsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PerfResultsException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public PerfResultsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public PerfResultsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
