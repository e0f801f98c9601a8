using System.CommandLine;

namespace PerfRegression.Tool.Commands;

/// <summary>
/// <c>dotnet perf merge &lt;results…&gt; -o &lt;dir&gt;</c>: the results of runs made in parallel (shards of a CI matrix,
/// several machines loading one target) merged exactly: histograms added, counts, errors and custom metrics summed,
/// so the percentiles are those of the whole load, never averages of percentiles.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var inputs = new Argument<string[]>("results") { Description = "Two or more results folders (each a run's artifacts/perf).", Arity = ArgumentArity.OneOrMore };
        var into = new Option<string>("--output", "-o") { Description = "The folder to write the merged results and summary.md to.", Required = true };
        var command = new Command("merge", "Merge the results of runs made in parallel, exactly, into one results folder.") { inputs, into };
        command.SetAction(parse => ExitCodes.Guard(error, () => Run(parse.GetValue(inputs)!, parse.GetValue(into)!, output)));
        return command;
    }

    public static int Run(IReadOnlyList<string> inputs, string into, TextWriter output)
    {
        var folders = inputs.Select(Path.GetFullPath).ToArray();
        var target = Path.GetFullPath(into);
        var problems = new List<string>();
        if (folders.Length < 2)
        {
            problems.Add($"Merge needs two or more results folders; {folders.Length} given.");
        }

        problems.AddRange(folders.GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"{g.Key} is given {g.Count()} times; each run's results count once."));
        if (folders.Contains(target, StringComparer.Ordinal))
        {
            problems.Add($"The output folder {target} is one of the inputs; write the merge to a folder of its own.");
        }

        if (Directory.Exists(Path.Combine(target, "tests")) && Directory.EnumerateFiles(Path.Combine(target, "tests")).Any())
        {
            problems.Add($"The output folder {target} already holds results; give an empty or new folder, so no earlier results mix in.");
        }

        if (problems.Count > 0)
        {
            throw new PerfResultsException(string.Join(" ", problems));
        }

        var shards = folders.Select(f => (Folder: f, Results: TestResults.ReadDirectory(f))).ToArray();
        var merged = shards.SelectMany(s => s.Results.Select(r => (s.Folder, Results: r)))
            .GroupBy(x => x.Results.FileName, StringComparer.Ordinal)
            .Select(g => ResultsMerge.Merge(g.Select(x => (x.Folder, x.Results)).ToArray()))
            .ToArray();
        foreach (var test in merged)
        {
            test.WriteTo(target);
            output.WriteLine($"{test.Test}: {string.Join("; ", test.Scenarios.Select(s => Describe(s)))}");
        }

        output.WriteLine();
        output.WriteLine($"Merged {merged.Length} test{(merged.Length == 1 ? string.Empty : "s")} from {folders.Length} results folders into {target} (summary.md beside).");
        return merged.All(m => m.Verdict.Passed) ? ExitCodes.Done : ExitCodes.Regression;
    }

    private static string Describe(ScenarioTrials scenario)
    {
        var all = LoadReport.Merge(scenario.Trials);
        return $"scenario '{scenario.Scenario}' {all.Overall.Count:N0} requests, " + string.Join(", ", all.Routes.Select(r => $"{r.Name} p50 {r.Latency.P50:0.###} ms p95 {r.Latency.P95:0.###} ms p99 {r.Latency.P99:0.###} ms max {r.Latency.Max:0.###} ms"));
    }
}
