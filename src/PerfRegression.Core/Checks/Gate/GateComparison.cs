namespace PerfRegression;

/// <summary>
/// The regression gate's comparison, made after the fact on two runs' results files instead of a run and its
/// committed baseline: the trials before a change stand for the baseline, the trials after it for the run. The
/// command-line tool compares two result folders and a pull request with its base this way.
/// </summary>
public static class GateComparison
{
    /// <summary>
    /// Compares <paramref name="after"/> with <paramref name="before"/>, scenario by scenario, with the gate's statistics:
    /// latency per route and costs per request, each trial of one side against the other's, with the policy's margins
    /// and floors. Returns a verdict with the gate's section (its <see cref="GateOutcome"/> in
    /// <see cref="TestVerdict.Details{T}"/>) and the runs after the change; nothing is written.
    /// </summary>
    /// <param name="before">The test's results before the change (e.g. the base branch's run).</param>
    /// <param name="after">The same test's results after it.</param>
    /// <param name="policy">How to decide; the default is <see cref="GatePolicy.Default"/>.</param>
    /// <exception cref="PerfResultsException">The two results are of different tests.</exception>
    /// <exception cref="PerfConfigurationException">The policy is invalid; the message lists every problem.</exception>
    public static TestVerdict Compare(TestResults before, TestResults after, GatePolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        policy ??= GatePolicy.Default;
        var problems = new Problems();
        problems.AddRange(policy.Validate());
        problems.ThrowIfAny("The comparison's gate policy");
        if (!string.Equals(before.Test, after.Test, StringComparison.Ordinal))
        {
            throw new PerfResultsException($"The results compared are of different tests: '{before.Test}' before and '{after.Test}' after. Compare a test's results with the same test's.");
        }

        var outcome = RegressionGate.CompareTrials(after.Test, before.Scenarios, after.Scenarios, policy);
        var reports = after.Scenarios.Where(s => s.Trials.Count > 0).Select(s => LoadReport.Merge(s.Trials)).ToArray();
        return TestVerdict.Of(reports, [outcome.ToCheckResult()], after.Test);
    }

    /// <summary>
    /// Compares a test's results after a change with its results before, made in rounds: round <c>i</c> ran the test
    /// once before and once after the change, alternately, each in a process of its own (what <c>dotnet perf ab</c>
    /// does). The trials of all rounds decide as in <see cref="Compare"/>, and a change must also hold round by round:
    /// each round's two runs are paired, so drift that hit both sides of a round alike cancels.
    /// </summary>
    /// <param name="before">The test's results before the change, one per round, in round order.</param>
    /// <param name="after">Its results after the change, one per round, as many as <paramref name="before"/>.</param>
    /// <param name="policy">How to decide; the default is <see cref="GatePolicy.Default"/>.</param>
    /// <exception cref="PerfResultsException">No rounds, sides of different lengths, or results of different tests.</exception>
    /// <exception cref="PerfConfigurationException">The policy is invalid; the message lists every problem.</exception>
    public static TestVerdict CompareRounds(IReadOnlyList<TestResults> before, IReadOnlyList<TestResults> after, GatePolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Count == 0 || before.Count != after.Count)
        {
            throw new PerfResultsException($"Rounds compare a run before the change with a run after it: {before.Count} before and {after.Count} after. Give each round's results on both sides, in round order.");
        }

        var tests = before.Concat(after).Select(r => r.Test).Distinct(StringComparer.Ordinal).ToArray();
        if (tests.Length != 1)
        {
            throw new PerfResultsException($"The rounds compared are of different tests ({string.Join(", ", tests.Select(t => $"'{t}'"))}). Compare one test's rounds at a time.");
        }

        var pooledBefore = before[0] with { Scenarios = Pool(before) };
        var pooledAfter = after[0] with { Scenarios = Pool(after) };
        return Compare(pooledBefore, pooledAfter, policy);
    }

    /// <summary>Each scenario's trials of every round, in round order, with the trials per round as its runs.</summary>
    private static ScenarioTrials[] Pool(IReadOnlyList<TestResults> rounds)
        => rounds.SelectMany(r => r.Scenarios.Select(s => s.Scenario)).Distinct(StringComparer.Ordinal)
            .Select(name =>
            {
                var perRound = rounds.Select(r => r.Scenarios.FirstOrDefault(s => string.Equals(s.Scenario, name, StringComparison.Ordinal))?.Trials ?? []).ToArray();
                return new ScenarioTrials(name, perRound.SelectMany(t => t).ToArray()) { Runs = perRound.Select(t => t.Count).ToArray() };
            })
            .ToArray();
}
