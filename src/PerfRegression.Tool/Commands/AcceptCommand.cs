using System.CommandLine;

namespace PerfRegression.Tool.Commands;

/// <summary>
/// <c>dotnet perf accept [--all | &lt;test&gt;] [--baselines &lt;dir&gt;]</c>: received baselines become baselines, each with
/// what it changes and by how much. Without <c>--all</c> or a test it only lists them.
/// </summary>
internal static class AcceptCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var test = new Argument<string?>("test") { Description = "The test whose received baselines to accept (e.g. PlanTests.Calendar); its file name or full name.", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Accept every received baseline." };
        var baselines = new Option<string?>("--baselines") { Description = "The baseline folder. Default: PERF_BASELINE_DIR, else baselines/ at the repository root." };
        var command = new Command("accept", "Make received baselines (X.received.json) the baselines, with a summary of what changed and by how much.") { test, all, baselines };
        command.SetAction(parse => ExitCodes.Guard(error, () => Run(parse.GetValue(test), parse.GetValue(all), parse.GetValue(baselines), output, error)));
        return command;
    }

    public static int Run(string? test, bool all, string? baselines, TextWriter output, TextWriter error)
    {
        if (all && test is not null)
        {
            error.WriteLine($"Give either --all or a test ('{test}'), not both.");
            return ExitCodes.Unusable;
        }

        var directory = baselines ?? PerfSettings.Current.BaselineDirectoryFor(Directory.GetCurrentDirectory());
        var received = ReceivedBaseline.Find(directory);
        if (received.Count == 0)
        {
            output.WriteLine($"No received baselines under {Path.GetFullPath(directory)}: nothing to accept.");
            return ExitCodes.Done;
        }

        if (!all && test is null)
        {
            Describe(received, "would be", output);
            output.WriteLine();
            output.WriteLine("Nothing accepted. Review the changes, then accept them with --all, or one test's with its name.");
            return ExitCodes.Done;
        }

        var chosen = all ? received : received.Where(r => Matches(r, test!)).ToArray();
        if (chosen.Count == 0)
        {
            error.WriteLine($"No received baseline belongs to the test '{test}'. Received: {string.Join(", ", received.Select(r => Path.GetFileName(r.Path)))}.");
            return ExitCodes.Unusable;
        }

        Describe(chosen, "is", output);
        foreach (var baseline in chosen)
        {
            baseline.Accept();
        }

        output.WriteLine();
        output.WriteLine($"{chosen.Count} baseline{(chosen.Count == 1 ? string.Empty : "s")} accepted. Review with git diff and commit.");
        return ExitCodes.Done;
    }

    private static bool Matches(ReceivedBaseline received, string test)
        => string.Equals(received.Test, test, StringComparison.Ordinal)
            || string.Equals(Path.GetFileName(received.Path), test + ".received.json", StringComparison.Ordinal)
            || received.Test.EndsWith("." + test, StringComparison.Ordinal);

    private static void Describe(IEnumerable<ReceivedBaseline> received, string tense, TextWriter output)
    {
        foreach (var baseline in received)
        {
            output.WriteLine();
            output.WriteLine($"{baseline.BaselinePath} {(baseline.ReplacesBaseline ? $"{tense} replaced" : $"{tense} created (first baseline)")} by {Path.GetFileName(baseline.Path)}");
            foreach (var change in baseline.Changes)
            {
                output.WriteLine($"  {change}");
            }
        }
    }
}
