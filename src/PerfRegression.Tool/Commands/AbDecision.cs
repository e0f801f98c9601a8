namespace PerfRegression.Tool.Commands;

/// <summary>Each test judged on the rounds in which both sides wrote its results, and the exit code.</summary>
internal static class AbDecision
{
    public static int Decide(IReadOnlyList<AbSide> sides, AbOptions options, string results, TextWriter output)
    {
        var (baseSide, head) = (sides[0], sides[1]);
        var baseRounds = Read(baseSide, options.Rounds, results);
        var headRounds = Read(head, options.Rounds, results);
        var tests = baseRounds.Concat(headRounds).SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (tests.Length == 0)
        {
            throw new PerfResultsException($"No test wrote results on either side in {options.Rounds} rounds: does `dotnet test {string.Join(' ', options.TestArguments)}` select performance tests? The logs are in {Path.Combine(results, "logs")}.");
        }

        var verdicts = new List<TestVerdict>();
        var notes = new List<string>();
        foreach (var test in tests)
        {
            var paired = Enumerable.Range(0, options.Rounds)
                .Where(i => baseRounds[i].ContainsKey(test) && headRounds[i].ContainsKey(test))
                .ToArray();
            if (paired.Length < 2)
            {
                notes.Add($"{test}: results on both sides in {paired.Length} of {options.Rounds} rounds, too few to compare (2 are needed); see the logs.");
                continue;
            }

            if (paired.Length < options.Rounds)
            {
                notes.Add($"{test}: compared on the {paired.Length} of {options.Rounds} rounds in which both sides wrote its results.");
            }

            var verdict = GateComparison.CompareRounds(paired.Select(i => baseRounds[i][test]).ToArray(), paired.Select(i => headRounds[i][test]).ToArray());
            verdicts.Add(verdict);
            output.WriteLine(verdict.Text);
        }

        foreach (var side in sides.Where(s => s.FailedRounds.Count > 0))
        {
            notes.Add($"The {side.Name}'s dotnet test failed in round{(side.FailedRounds.Count > 1 ? "s" : string.Empty)} {string.Join(", ", side.FailedRounds)} (a broken budget, a failed test or a timeout): see {Path.Combine(results, "logs")}.");
        }

        var table = verdicts.Count > 0 ? VerdictText.Markdown(verdicts) : string.Empty;
        table += string.Concat(notes.Select(n => $"- ℹ️ {n}\n"));
        output.WriteLine(table);
        if (options.Markdown is not null)
        {
            File.AppendAllText(options.Markdown, table);
        }

        var regressed = verdicts.Count(v => !v.Passed);
        output.WriteLine(regressed > 0
            ? $"{regressed} of {verdicts.Count} tests regressed against {options.Base}."
            : head.FailedRounds.Count > 0
                ? $"No confirmed regression against {options.Base}, but the head's tests failed in some rounds."
                : $"No confirmed regression against {options.Base} in {verdicts.Count} tests.");
        return regressed > 0 || head.FailedRounds.Count > 0 ? ExitCodes.Regression : ExitCodes.Done;
    }

    /// <summary>Per round, the side's results by test (empty for a round that wrote none).</summary>
    private static Dictionary<string, TestResults>[] Read(AbSide side, int rounds, string results)
        => Enumerable.Range(1, rounds).Select(round =>
        {
            var folder = side.ResultsOf(results, round);
            return Directory.Exists(Path.Combine(folder, "tests"))
                ? TestResults.ReadDirectory(folder).ToDictionary(r => r.Test, StringComparer.Ordinal)
                : new Dictionary<string, TestResults>(StringComparer.Ordinal);
        }).ToArray();
}
