using System.CommandLine;

namespace PerfRegression.Tool.Commands;

/// <summary>
/// <c>dotnet perf compare &lt;before&gt; &lt;after&gt; [--markdown &lt;file&gt;]</c>: every test in both result folders
/// compared with the regression gate's statistics, the trials before standing for the baseline. Exit code 1 on a
/// confirmed regression.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var before = new Argument<string>("before") { Description = "The results folder before the change (e.g. the base branch's artifacts/perf)." };
        var after = new Argument<string>("after") { Description = "The results folder after it." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the Markdown table to this file (e.g. $GITHUB_STEP_SUMMARY; appended to)." };
        var command = new Command("compare", "Compare two result folders test by test with the regression gate's statistics: Faster, Same, Slower or Inconclusive per route and cost.") { before, after, markdown };
        command.SetAction(parse => ExitCodes.Guard(error, () => Run(parse.GetValue(before)!, parse.GetValue(after)!, parse.GetValue(markdown), output)));
        return command;
    }

    public static int Run(string before, string after, string? markdown, TextWriter output)
    {
        if (string.Equals(Path.GetFullPath(before), Path.GetFullPath(after), StringComparison.Ordinal))
        {
            throw new PerfResultsException($"Both sides are {Path.GetFullPath(before)}: compare the results of two runs, e.g. the base branch's and the pull request's.");
        }

        var old = TestResults.ReadDirectory(before).ToDictionary(r => r.Test, StringComparer.Ordinal);
        var current = TestResults.ReadDirectory(after);
        var verdicts = new List<TestVerdict>();
        foreach (var test in current.Where(c => old.ContainsKey(c.Test)))
        {
            var verdict = GateComparison.Compare(old[test.Test], test);
            verdicts.Add(verdict);
            output.WriteLine(verdict.Text);
        }

        var onlyBefore = old.Keys.Except(current.Select(c => c.Test), StringComparer.Ordinal).ToArray();
        var onlyAfter = current.Select(c => c.Test).Except(old.Keys, StringComparer.Ordinal).ToArray();
        if (verdicts.Count == 0)
        {
            throw new PerfResultsException($"The two folders have no test in common ({Path.GetFullPath(before)}: {string.Join(", ", old.Keys)}; {Path.GetFullPath(after)}: {string.Join(", ", current.Select(c => c.Test))}). Compare runs of the same tests.");
        }

        var table = VerdictText.Markdown(verdicts);
        if (onlyBefore.Length > 0 || onlyAfter.Length > 0)
        {
            table += string.Concat(onlyBefore.Select(t => $"- ℹ️ **{t}** ran only before the change: not compared.\n"))
                + string.Concat(onlyAfter.Select(t => $"- ℹ️ **{t}** ran only after the change: not compared.\n"));
        }

        output.WriteLine(table);
        if (markdown is not null)
        {
            File.AppendAllText(markdown, table);
        }

        return verdicts.All(v => v.Passed) ? ExitCodes.Done : ExitCodes.Regression;
    }
}
