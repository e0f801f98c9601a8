using System.CommandLine;

namespace PerfRegression.Tool.Commands;

/// <summary>
/// <c>dotnet perf report &lt;results&gt; [-o &lt;file&gt;] [--title &lt;title&gt;]</c>: the performance report of a run, in
/// Markdown, from its results folder (see <see cref="PerformanceReport"/>): targets against measured values, where each
/// scenario's time went and its bottleneck, and the comparison with the baseline.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var results = new Argument<string>("results") { Description = "The run's results folder (artifacts/perf, or PERF_RESULTS_DIR)." };
        var file = new Option<string?>("--output", "-o") { Description = "Write the report to this file (replaced) instead of the console, e.g. docs/performance-report.md." };
        var title = new Option<string>("--title") { Description = "The report's title.", DefaultValueFactory = _ => "Performance report" };
        var command = new Command("report", "Write the performance report of a run in Markdown: targets against measured values, where the time went per scenario and the bottleneck, the comparison with the baseline.") { results, file, title };
        command.SetAction(parse => ExitCodes.Guard(error, () => Run(parse.GetValue(results)!, parse.GetValue(file), parse.GetValue(title)!, output)));
        return command;
    }

    public static int Run(string results, string? file, string title, TextWriter output)
    {
        var report = PerformanceReport.Render(TestResults.ReadDirectory(results), title);
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
