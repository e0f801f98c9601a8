using PerfRegression.Engine;

namespace PerfRegression.Checks;

/// <summary>
/// One check of a performance test, the seam every kind of check plugs into: latency budgets, the regression
/// gate, the database checks, and any add-on's. A test's session evaluates each of its checks after the test
/// body, on what the body recorded, and renders every <see cref="CheckResult"/> the same way in the verdict text,
/// the results JSON and the pull-request summary.
/// </summary>
/// <remarks>
/// Register a check with <c>PerfSession.AddCheck</c>, usually from an attribute derived from
/// <see cref="PerfCheckAttribute"/>. A check that also implements <see cref="ILoadRunListener"/> takes part in
/// the test's load runs; one that implements <see cref="IRequestObserver"/> is not registered by that alone: register
/// it with <see cref="RequestObservers.Register"/>.
/// </remarks>
public interface IPerfCheck
{
    /// <summary>
    /// Whether this check is decided after every other check and sees their results in
    /// <see cref="CheckContext.EarlierResults"/>. The regression gate does: a run that fails another check never
    /// becomes a baseline.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    bool DecidesLast => false;

    /// <summary>Decides the check on what the test recorded.</summary>
    /// <param name="context">The test, its settings, its load reports and, for a check that decides last, the other results.</param>
    /// <param name="cancellationToken">The test's cancellation.</param>
    /// <returns>The result; a check that could not be made says so in <see cref="CheckResult.Problems"/>, which fails the test.</returns>
    ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A check that takes part in the load runs of its test: it is told when each run starts and ends, and may plan
/// how many trials a run measures (the regression gate confirms a change with more trials).
/// </summary>
public interface ILoadRunListener
{
    /// <summary>A run of <paramref name="scenario"/> is about to start.</summary>
    /// <returns>The planner of its trials, or <see langword="null"/> when this check does not care how many there are.</returns>
    /// <exception cref="PerfConfigurationException">The run cannot be checked (e.g. its scenario already ran in this test).</exception>
    ITrialPlanner? RunStarting(Scenario scenario);

    /// <summary>The run of <paramref name="scenario"/> finished with these <paramref name="trials"/>.</summary>
    void RunCompleted(Scenario scenario, IReadOnlyList<LoadReport> trials);

    /// <summary>
    /// Before each run starts, on the run's own copy of its options: ask for what this check needs measured where the
    /// test left it unset (e.g. <c>options.LeakSampleInterval ??= TimeSpan.FromSeconds(5)</c>). Does nothing unless implemented.
    /// </summary>
    void Prepare(LoadOptions options)
    {
    }
}
