using System.CommandLine;

namespace PerfRegression.Tool.Commands;

/// <summary>
/// <c>dotnet perf report &lt;results&gt; [-o &lt;file&gt;] [--format markdown|html] [--baselines &lt;dir&gt;] [--title &lt;title&gt;]</c>:
/// the performance report of a run from its results folder: in Markdown (see <see cref="PerformanceReport"/>: targets
/// against measured values, where each scenario's time went and its bottleneck, the comparison with the baseline) or as
/// the self-contained HTML page with charts (see <see cref="HtmlReport"/>) that a test run also writes beside its results.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var results = new Argument<string>("results") { Description = "The run's results folder (artifacts/perf, or PERF_RESULTS_DIR)." };
        var file = new Option<string?>("--output", "-o") { Description = "Write the report to this file (replaced) instead of the console, e.g. docs/performance-report.md." };
        var title = new Option<string>("--title") { Description = "The report's title.", DefaultValueFactory = _ => "Performance report" };
        var format = new Option<string?>("--format") { Description = "markdown or html; by default html when --output ends in .html or .htm, else markdown." };
        format.AcceptOnlyFromAmong("markdown", "html");
        var baselines = new Option<string?>("--baselines") { Description = "The baselines folder whose baselines the HTML report overlays on its charts (default: baselines/ here, when it exists)." };
        var command = new Command("report", "Write the performance report of a run: in Markdown (targets against measured values, where the time went per scenario and the bottleneck, the comparison with the baseline) or as an HTML page with charts.") { results, file, format, baselines, title };
        command.SetAction(parse => ExitCodes.Guard(error, () => Run(parse.GetValue(results)!, parse.GetValue(file), parse.GetValue(title)!, output, parse.GetValue(format), parse.GetValue(baselines))));
        return command;
    }

    public static int Run(string results, string? file, string title, TextWriter output, string? format = null, string? baselines = null)
    {
        var html = format is null
            ? file is not null && (file.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".htm", StringComparison.OrdinalIgnoreCase))
            : format == "html";
        if (baselines is not null && !Directory.Exists(baselines))
        {
            throw new PerfResultsException($"No baselines folder at {Path.GetFullPath(baselines)}. Give the folder that holds the profiles' baselines (e.g. baselines, with baselines/pr inside), or leave --baselines out.");
        }

        var read = TestResults.ReadDirectory(results);
        var report = html
            ? HtmlReport.Render(read, title, baselines ?? (Directory.Exists("baselines") ? "baselines" : null))
            : PerformanceReport.Render(read, title);
        if (file is null)
        {
            output.Write(report);
            return ExitCodes.Done;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(file)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temporary, report);
        File.Move(temporary, file, overwrite: true);
        output.WriteLine($"Report of {Path.GetFullPath(results)} written to {Path.GetFullPath(file)}.");
        return ExitCodes.Done;
    }
}
