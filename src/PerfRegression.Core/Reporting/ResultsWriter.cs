using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PerfRegression;

/// <summary>
/// Writes each performance test's verdicts to <c>{results}/tests/{Class}.{Method}.json</c> and regenerates
/// <c>{results}/summary.md</c>, a Markdown table of every verdict (what CI appends to
/// <c>$GITHUB_STEP_SUMMARY</c>). The results directory is <c>PERF_RESULTS_DIR</c>, else
/// <c>artifacts/perf/</c> at the repository root. Several test processes may write at once: the
/// summary is regenerated under a lock file and written atomically.
/// </summary>
internal static class ResultsWriter
{
    private static JsonSerializerOptions Json => JsonFormat.Options;

    public static void TryWrite(MeasurementScope scope, string test, BudgetEvaluation budgets, GateOutcome? gate)
    {
        try
        {
            var settings = PerfSettings.Current;
            var start = Path.GetDirectoryName(scope.Method?.DeclaringType?.Assembly.Location) is { Length: > 0 } location ? location : AppContext.BaseDirectory;
            var directory = settings.ResultsDirectory is { } configured ? Path.GetFullPath(configured) : Path.Combine(BaselineStore.RepositoryRoot(start), "artifacts", "perf");
            var identity = scope.Method is null ? test : TestIdentity.From(scope.Method, scope.Arguments).FileName;
            Write(directory, identity, Build(test, settings, budgets, gate));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            TestAmbient.AddWarning($"The performance results could not be written ({ex.Message}); the verdict itself is unaffected.");
        }
    }

    internal static void Write(string directory, string fileName, TestResult result)
    {
        BaselineStore.WriteAtomically(Path.Combine(directory, "tests", fileName + ".json"), JsonSerializer.Serialize(result, Json) + "\n");
        using var gate = AcquireLock(Path.Combine(directory, "summary.lock"));
        var results = Directory.EnumerateFiles(Path.Combine(directory, "tests"), "*.json")
            .Select(f => JsonSerializer.Deserialize<TestResult>(File.ReadAllText(f), Json))
            .OfType<TestResult>()
            .OrderBy(r => r.Test, StringComparer.Ordinal)
            .ToArray();
        BaselineStore.WriteAtomically(Path.Combine(directory, "summary.md"), RenderMarkdown(results));
    }

    internal static TestResult Build(string test, PerfSettings settings, BudgetEvaluation budgets, GateOutcome? gate) => new()
    {
        Test = test,
        Profile = settings.Profile,
        Mode = settings.Mode.ToString().ToLowerInvariant(),
        Passed = budgets.Passed && gate?.Failed != true,
        Budgets = budgets.Results.Select(r => new BudgetRow(r.Route, r.Budget.MetricName, r.Budget.LimitText, r.Budget.FormatValue(r.Measured), r.Samples, r.Passed)).ToList(),
        Comparisons = gate?.Comparisons.Select(c => new ComparisonRow(
            c.Route,
            c.Statistic,
            Math.Round(RegressionComparer.Median(c.Baseline), 3),
            Math.Round(RegressionComparer.Median(c.Current), 3),
            Math.Round(c.Ratio, 4),
            double.IsNaN(c.RatioLower) ? null : Math.Round(c.RatioLower, 4),
            double.IsNaN(c.RatioUpper) ? null : Math.Round(c.RatioUpper, 4),
            double.IsNaN(c.PValueSlower) ? null : Math.Round(c.PValueSlower, 5),
            c.Baseline.Count,
            c.Current.Count,
            c.Verdict.ToString(),
            c.Severity.ToString(),
            c.Reason)).ToList() ?? [],
        Problems = budgets.Problems.Concat(gate?.Problems ?? []).ToList(),
        Notes = gate?.Notes.ToList() ?? [],
        ReceivedPath = gate?.ReceivedPath,
    };

    internal static string RenderMarkdown(IReadOnlyList<TestResult> results)
    {
        var text = new StringBuilder();
        var failed = results.Count(r => !r.Passed);
        var profiles = string.Join(", ", results.Select(r => r.Profile).Distinct(StringComparer.Ordinal));
        var modes = string.Join(", ", results.Select(r => r.Mode).Distinct(StringComparer.Ordinal));
        text.Append(CultureInfo.InvariantCulture, $"## Performance: {results.Count} tests, {results.Count - failed} passed, {failed} failed\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Profile `{profiles}`, baseline mode `{modes}`. Verdicts compare trial statistics with the committed baseline (Mann–Whitney, Hodges–Lehmann ratio with a 95% interval).\n\n");
        text.Append("| | test | route | check | expected | measured | evidence | verdict |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var result in results)
        {
            foreach (var c in result.Comparisons)
            {
                var mark = c.Severity switch { "Fail" => "❌", "Warn" => "⚠️", _ => "✅" };
                var interval = c.RatioLower is { } lo && c.RatioUpper is { } hi ? $", 95% {Formatting.SignedPercent(lo - 1)}..{Formatting.SignedPercent(hi - 1)}" : string.Empty;
                var p = c.PValueSlower is { } pv ? $", p={Formatting.Number(pv, "0.####")}" : string.Empty;
                text.Append(CultureInfo.InvariantCulture, $"| {mark} | {Cell(result.Test)} | {Cell(c.Route)} | {c.Statistic} vs baseline | {Formatting.Milliseconds(c.Baseline)} | {Formatting.Milliseconds(c.Current)} ({Formatting.SignedPercent(c.Ratio - 1)}{interval}) | {c.BaselineTrials}/{c.CurrentTrials} trials{p} | {c.Verdict} |\n");
            }

            foreach (var b in result.Budgets)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {(b.Passed ? "✅" : "❌")} | {Cell(result.Test)} | {Cell(b.Route)} | {b.Metric} budget | {Cell(b.Budget)} | {Cell(b.Measured)} | {Formatting.Count(b.Samples)} requests | {(b.Passed ? "ok" : "broken")} |\n");
            }

            if (result.Comparisons.Count == 0 && result.Budgets.Count == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {(result.Passed ? "✅" : "❌")} | {Cell(result.Test)} | | | | | | {(result.Passed ? "passed" : "failed")} |\n");
            }
        }

        var remarks = results.SelectMany(r => r.Problems.Select(p => ("❌", r.Test, p)).Concat(r.Notes.Select(n => ("ℹ️", r.Test, n)))).ToArray();
        if (remarks.Length > 0)
        {
            text.Append('\n');
            foreach (var (mark, test, remark) in remarks)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {mark} **{test}**: {remark}\n");
            }
        }

        return text.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

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

    internal sealed record BudgetRow(string Route, string Metric, string Budget, string Measured, long Samples, bool Passed);

    internal sealed record ComparisonRow(string Route, string Statistic, double Baseline, double Current, double Ratio, double? RatioLower, double? RatioUpper, double? PValueSlower, int BaselineTrials, int CurrentTrials, string Verdict, string Severity, string Reason);

    internal sealed record TestResult
    {
        public string Test { get; init; } = string.Empty;

        public string Profile { get; init; } = string.Empty;

        public string Mode { get; init; } = string.Empty;

        public bool Passed { get; init; }

        public List<BudgetRow> Budgets { get; init; } = [];

        public List<ComparisonRow> Comparisons { get; init; } = [];

        public List<string> Problems { get; init; } = [];

        public List<string> Notes { get; init; } = [];

        public string? ReceivedPath { get; init; }
    }
}
