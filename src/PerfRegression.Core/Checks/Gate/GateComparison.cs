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
}
