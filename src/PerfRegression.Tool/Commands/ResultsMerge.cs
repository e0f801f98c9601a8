namespace PerfRegression.Tool.Commands;

/// <summary>How one test's results from several parallel runs become one.</summary>
internal static class ResultsMerge
{
    /// <summary>
    /// Merges one test's results from several runs that ran at the same time. A scenario's trials are merged trial by
    /// trial (trial k of every run happened together) when every run made as many; otherwise each run's trials are
    /// merged into one and those into a single trial, since unaligned trials cannot be paired. The verdict keeps every
    /// run's check results, titled by the folder they came from, so a failure in any run stays a failure.
    /// </summary>
    public static TestResults Merge(IReadOnlyList<(string Folder, TestResults Results)> runs)
    {
        var first = runs[0].Results;
        if (runs.Count == 1)
        {
            return first;
        }

        var names = runs.SelectMany(r => r.Results.Scenarios.Select(s => s.Scenario)).Distinct(StringComparer.Ordinal).ToArray();
        var scenarios = names.Select(name =>
        {
            var parts = runs.Select(r => r.Results.Scenarios.FirstOrDefault(s => string.Equals(s.Scenario, name, StringComparison.Ordinal))).OfType<ScenarioTrials>().Where(s => s.Trials.Count > 0).ToArray();
            var aligned = parts.All(p => p.Trials.Count == parts[0].Trials.Count);
            var trials = aligned
                ? Enumerable.Range(0, parts[0].Trials.Count).Select(k => LoadReport.Merge(parts.Select(p => p.Trials[k]).ToArray())).ToArray()
                : [LoadReport.Merge(parts.Select(p => LoadReport.Merge(p.Trials)).ToArray())];
            return new ScenarioTrials(name, trials);
        }).ToArray();

        var results = runs.SelectMany(r => r.Results.Verdict.Results.Select(c => c with { Title = $"{c.Title} ({r.Folder})" })).ToArray();
        var verdict = TestVerdict.Of(scenarios.Select(s => LoadReport.Merge(s.Trials)).ToArray(), results, first.Test) with { Context = first.Verdict.Context };
        return new TestResults(first.FileName, verdict, scenarios, first.Run);
    }
}
