using System.Globalization;
using System.Text;
using System.Text.Json;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Writes each performance test's verdict to <c>{results}/tests/{Class}.{Method}.json</c> and regenerates
/// <c>{results}/summary.md</c> from all of them: a Markdown table of every check's items (what CI appends to
/// <c>$GITHUB_STEP_SUMMARY</c>), the problems and notes, and the whole verdict of each failed test. Several test
/// processes may write at once: the summary is regenerated under a lock file and written atomically.
/// </summary>
internal static class ResultsWriter
{
    /// <summary>The version of the results files; files of another version (an older library) are left out of the summary, and the summary says so.</summary>
    /// <remarks>Version 3 added each scenario's trials with their histograms (<see cref="TestResults"/>).</remarks>
    public const int SchemaVersion = 3;

    private static JsonSerializerOptions Json => JsonFormat.Options;

    /// <summary>
    /// Writes the verdict's results file, tagged with <paramref name="run"/> (see <see cref="TestRun"/>), and
    /// regenerates the summary from the files of that run only: results left by earlier runs stay in
    /// <c>tests/</c> but are not this run's, so the summary leaves them out and counts them. With no run
    /// (<see langword="null"/>, it could not be told) every file is this run's. <paramref name="alongside"/>, when
    /// given, regenerates more of the run's outputs (the HTML report) under the same lock, so that two test processes
    /// finishing together cannot leave one that misses the other's test.
    /// </summary>
    public static void Write(string directory, string fileName, TestVerdict verdict, string? run = null, IReadOnlyList<ScenarioTrials>? trials = null, Action? alongside = null)
    {
        AtomicFile.Write(Path.Combine(directory, "tests", fileName + ".json"), Serialize(verdict, run, trials));
        using var gate = AcquireLock(Path.Combine(directory, "summary.lock"));
        var verdicts = new List<TestVerdict>();
        var skipped = 0;
        var earlier = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(directory, "tests"), "*.json"))
        {
            if (ReadFile(file) is not { } read)
            {
                skipped++;
            }
            else if (run is not null && !string.Equals(read.Run, run, StringComparison.Ordinal))
            {
                earlier++;
            }
            else
            {
                verdicts.Add(read.Verdict!);
            }
        }

        AtomicFile.Write(Path.Combine(directory, "summary.md"), RenderMarkdown(verdicts.OrderBy(v => v.Test, StringComparer.Ordinal).ToArray(), skipped, earlier));
        alongside?.Invoke();
    }

    /// <summary>
    /// One results file, or <see langword="null"/> when it cannot be summarised: another version, not JSON,
    /// a verdict with missing parts (an edited or foreign file), or a file another process removed meanwhile. One such
    /// file must never fail the tests that write after it; it is counted and named in the summary as left out.
    /// </summary>
    private static ResultFile? ReadFile(string file)
    {
        try
        {
            var read = Read(File.ReadAllText(file));
            if (read?.Verdict is { } verdict)
            {
                // A verdict with null lists parses but cannot be rendered: find out here, for this file alone.
                _ = RenderMarkdown([verdict]);
            }

            return read;
        }
#pragma warning disable CA1031 // Any failure to read or render one foreign file leaves that file out; the others still make the summary.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    public static string Serialize(TestVerdict verdict, string? run = null, IReadOnlyList<ScenarioTrials>? trials = null)
        => JsonSerializer.Serialize(new ResultFile(SchemaVersion, verdict, run, trials is null or { Count: 0 } ? null : trials.Select(ScenarioTrialsDto.Of).ToArray()), Json) + "\n";

    /// <summary>The whole results file, or <see langword="null"/> when it is of another version or not a results file.</summary>
    internal static ResultFile? ReadResultFile(string json) => Read(json);

    /// <summary>The verdict in a results file, or <see langword="null"/> when the file is of another version or not a results file.</summary>
    public static TestVerdict? Deserialize(string json) => Read(json)?.Verdict;

    public static string RenderMarkdown(IReadOnlyList<TestVerdict> verdicts, int skipped = 0, int earlier = 0)
    {
        var text = new StringBuilder();
        var failed = verdicts.Count(v => !v.Passed);
        var warned = verdicts.Count(v => v.Passed && v.Severity != CheckSeverity.Pass);
        text.Append(CultureInfo.InvariantCulture, $"## Performance: {Formatting.Plural(verdicts.Count, "test", "tests")}, {verdicts.Count - failed} passed ({warned} with warnings), {failed} failed\n\n");
        var context = verdicts.SelectMany(v => v.Context).GroupBy(c => c.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} `{string.Join(", ", g.Select(c => c.Value).Distinct(StringComparer.Ordinal))}`").ToArray();
        if (context.Length > 0)
        {
            text.Append(string.Join(" · ", context)).Append(".\n\n");
        }

        text.Append("| | test | subject | check | expected | measured | evidence | verdict |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var verdict in verdicts)
        {
            var test = Cell(verdict.Test ?? "(unnamed)");
            foreach (var result in verdict.Results)
            {
                foreach (var item in result.Items)
                {
                    text.Append(CultureInfo.InvariantCulture, $"| {Mark(item.Severity)} | {test} | {Cell(item.Subject)} | {Cell(item.Check)} | {Cell(item.Expected)} | {Cell(item.Measured)} | {Cell(item.Evidence)} | {Cell(item.Verdict)} |\n");
                }

                if (result.Items.Count == 0 || (result.Severity == CheckSeverity.Fail && result.Items.All(i => i.Severity != CheckSeverity.Fail)))
                {
                    // A check that failed without a failing item (it could not be made) still gets its row.
                    text.Append(CultureInfo.InvariantCulture, $"| {Mark(result.Severity)} | {test} | | {Cell(result.Title)} | | | | {Cell(Word(result.Severity))} |\n");
                }
            }

            if (verdict.Results.Count == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {Mark(verdict.Severity)} | {test} | | | | | | {Word(verdict.Severity)} |\n");
            }
        }

        // Why a row is not a plain pass (an inconclusive comparison above all: the reader must see what left it undecided).
        var remarks = verdicts.SelectMany(v => v.Results.SelectMany(r => r.Problems.Select(p => ("❌", v.Test, p)))
            .Concat(v.Results.SelectMany(r => r.Items.Where(i => i.Severity != CheckSeverity.Pass && !string.IsNullOrWhiteSpace(i.Reason))
                .Select(i => (Mark(i.Severity), v.Test, $"{i.Subject} {i.Check} {i.Verdict}: {i.Reason}."))))
            .Concat(v.Results.SelectMany(r => r.Notes.Select(n => ("ℹ️", v.Test, n))))).Distinct().ToArray();
        if (remarks.Length > 0 || skipped > 0 || earlier > 0)
        {
            text.Append('\n');
            foreach (var (mark, test, remark) in remarks)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {mark} **{Cell(test ?? "(unnamed)")}**: {remark}\n");
            }

            if (skipped > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"- ℹ️ {Formatting.Plural(skipped, "results file", "results files")} of another version of PerfRegression (or not a results file) in tests/ were left out.\n");
            }

            if (earlier > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"- ℹ️ {Formatting.Plural(earlier, "results file", "results files")} of earlier test runs in tests/ {(earlier == 1 ? "was" : "were")} left out: this summary describes this run only.\n");
            }
        }

        foreach (var verdict in verdicts.Where(v => !v.Passed))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n<details><summary>❌ {Html(verdict.Test ?? "(unnamed)")}: the whole verdict</summary>\n\n```text\n{verdict.Text.TrimEnd('\n')}\n```\n\n</details>\n");
        }

        return text.ToString();
    }

    private static string Mark(CheckSeverity severity) => severity switch
    {
        CheckSeverity.Fail => "❌",
        CheckSeverity.Inconclusive => "❔",
        CheckSeverity.Warn => "⚠️",
        _ => "✅",
    };

    /// <summary>The word a severity shows as in every output.</summary>
    internal static string Word(CheckSeverity severity) => severity switch
    {
        CheckSeverity.Fail => "failed",
        CheckSeverity.Inconclusive => "inconclusive",
        CheckSeverity.Warn => "passed with a warning",
        _ => "passed",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static FileStream AcquireLock(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 400)
            {
                // Another test process is regenerating the summary, which takes milliseconds. This runs
                // after a test's measurement, never during it, so blocking briefly is harmless.
#pragma warning disable RS0030
                Thread.Sleep(25);
#pragma warning restore RS0030
            }
        }
    }

    private static ResultFile? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ResultFile>(json, Json) is { SchemaVersion: SchemaVersion, Verdict: not null } file ? file : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <param name="SchemaVersion">The file's version.</param>
    /// <param name="Verdict">The test's verdict.</param>
    /// <param name="Run">The test run that wrote it (<see cref="TestRun"/>), absent when it could not be told.</param>
    /// <param name="Trials">Every scenario's trials, each the load report's own JSON with its histograms.</param>
    internal sealed record ResultFile(int SchemaVersion, TestVerdict? Verdict, string? Run = null, IReadOnlyList<ScenarioTrialsDto>? Trials = null);

    /// <summary>One scenario's trials in a results file.</summary>
    internal sealed class ScenarioTrialsDto
    {
        public string? Scenario { get; set; }

        public List<JsonElement>? Reports { get; set; }

        public static ScenarioTrialsDto Of(ScenarioTrials trials) => new()
        {
            Scenario = trials.Scenario,
            Reports = trials.Trials.Select(t =>
            {
                using var document = JsonDocument.Parse(t.ToJson());
                return document.RootElement.Clone();
            }).ToList(),
        };
    }
}
