namespace PerfRegression.Engine;

/// <summary>
/// Decides how many measured trials one load run makes. A run measures one trial, then another while the
/// planner wants one; the same warmed-up users run every trial. The regression gate plans them: one trial when
/// the first looks like the baseline, more to confirm a change or to record a baseline.
/// </summary>
public interface ITrialPlanner
{
    /// <summary>Whether the run needs another trial, given the trials measured so far (at least one).</summary>
    bool WantsAnotherTrial(IReadOnlyList<LoadReport> trials);

    /// <summary>Lines for the run's summary that describe the trials (e.g. each trial's p95); empty for none.</summary>
    string DescribeTrials(IReadOnlyList<LoadReport> trials);
}
