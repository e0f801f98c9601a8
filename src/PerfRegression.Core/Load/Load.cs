using PerfRegression.Engine;

namespace PerfRegression;

/// <summary>
/// Runs load. The common case is one line:
/// <code>var report = await Load.RunAsync(target, "GET /plan?week=2026-11-23", users: 100, duration: TimeSpan.FromSeconds(10));</code>
/// and every knob is reachable through a <see cref="Scenario"/>, a <see cref="LoadProfile"/> and <see cref="LoadOptions"/>.
/// Inside an xUnit test the run writes its summary to the test output and honours the test's cancellation;
/// inside a performance test (<c>[LatencyBudget]</c>, <c>[RegressionGate]</c>, …) it also runs confirmation trials
/// when a route looks slower than its baseline, and hands its report to the test's checks.
/// </summary>
public static class Load
{
    /// <summary>Runs a one-step scenario, <c>"METHOD /path"</c>, with <paramref name="users"/> closed-model users for <paramref name="duration"/>.</summary>
    /// <param name="target">Where to send the load.</param>
    /// <param name="request">The request, e.g. <c>"GET /plan?week=2026-11-23"</c>; its text is the route name.</param>
    /// <param name="users">Concurrent virtual users.</param>
    /// <param name="duration">Measured duration; the default is 10 seconds.</param>
    /// <remarks>Inside an xUnit test the run stops when the test is cancelled; use an overload with a token to cancel it yourself.</remarks>
    public static Task<LoadReport> RunAsync(ILoadTarget target, string request, int users, TimeSpan? duration = null)
        => RunAsync(target, Scenario.FromRequestLine(request), LoadProfile.Users(users, duration ?? TimeSpan.FromSeconds(10)), options: null, CancellationToken.None);

    /// <summary>Runs a one-step scenario, <c>"METHOD /path"</c>, under any <paramref name="profile"/> (stages, arrival rates).</summary>
    /// <param name="target">Where to send the load.</param>
    /// <param name="request">The request, e.g. <c>"GET /plan?week=2026-11-23"</c>; its text is the route name.</param>
    /// <param name="profile">How load is applied.</param>
    /// <param name="options">Knobs; <see langword="null"/> for the documented defaults.</param>
    /// <param name="cancellationToken">Stops the run; the current xUnit test's token is honoured too.</param>
    public static Task<LoadReport> RunAsync(ILoadTarget target, string request, LoadProfile profile, LoadOptions? options = null, CancellationToken cancellationToken = default)
        => RunAsync(target, Scenario.FromRequestLine(request), profile, options, cancellationToken);

    /// <summary>Runs <paramref name="scenario"/> under <paramref name="profile"/>.</summary>
    /// <param name="target">Where to send the load.</param>
    /// <param name="scenario">What each virtual user does.</param>
    /// <param name="profile">How load is applied.</param>
    /// <param name="options">Knobs; <see langword="null"/> for the documented defaults. Copied when the run starts.</param>
    /// <param name="cancellationToken">Stops the run; the current xUnit test's token is honoured too.</param>
    /// <returns>The report; with confirmation trials, the exact merge of all trials.</returns>
    /// <exception cref="PerfConfigurationException">Anything given is invalid; the message lists every problem.</exception>
    public static async Task<LoadReport> RunAsync(ILoadTarget target, Scenario scenario, LoadProfile profile, LoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var frozen = (options ?? new LoadOptions()).Clone();
        var context = LoadRunContext.Current;
        context?.Prepare(frozen);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context?.CancellationToken ?? CancellationToken.None);
        LoadRunner.Validate(target, scenario, profile, frozen);
        (context as ITargetListener)?.TargetUsed(target);
        var planner = context?.RunStarting(scenario);
        var trials = await LoadRunner.RunTrialsAsync(target, scenario, profile, frozen, planner, RequestObservers.Current, linked.Token, context is null ? null : context.Progress, context?.AbortCheck(scenario)).ConfigureAwait(false);
        var report = trials.Count == 1 ? trials[0] : LoadReport.Merge(trials);
        context?.RunCompleted(scenario, trials, report);
        return report;
    }

    /// <summary>
    /// Runs several scenarios at once against one target, each with its own users, load profile and start offset: a
    /// mixed workload, where a slow write path competes with reads for the same pools. For example
    /// <code>var mix = await Load.RunMixAsync(target, [browse.Under(LoadProfile.Users(20, TimeSpan.FromSeconds(30))), checkout.Under(LoadProfile.ConstantRate(5, TimeSpan.FromSeconds(30), 20), startAfter: TimeSpan.FromSeconds(5))]);</code>
    /// Each scenario gets its own report (per-route statistics), judged by the test's budgets and compared with its own
    /// baseline; the test has one verdict. Confirmation trials, when the gate wants them, run the whole mix again.
    /// </summary>
    /// <param name="target">Where to send the load.</param>
    /// <param name="scenarios">The parts, at least one; scenario names must differ.</param>
    /// <param name="options">Knobs shared by every part; <see langword="null"/> for the documented defaults. Copied when the run starts.</param>
    /// <param name="cancellationToken">Stops the run; the current xUnit test's token is honoured too.</param>
    /// <returns>Each part's report; with confirmation trials, each the exact merge of its trials.</returns>
    /// <exception cref="PerfConfigurationException">Anything given is invalid; the message lists every problem of every part.</exception>
    /// <remarks>
    /// CPU time, allocations, collections and database operations are the process's: in a mix they are the whole
    /// mix's, so cost budgets cannot judge one part (they say so); budget costs in a run of the scenario alone.
    /// </remarks>
    public static async Task<MixedLoadReport> RunMixAsync(ILoadTarget target, IEnumerable<ScenarioLoad> scenarios, LoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var parts = scenarios?.ToArray() ?? [];
        var frozen = (options ?? new LoadOptions()).Clone();
        var context = LoadRunContext.Current;
        context?.Prepare(frozen);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context?.CancellationToken ?? CancellationToken.None);
        LoadRunner.ValidateMix(target, parts, frozen);
        var planners = parts.Select(p => context?.RunStarting(p.Scenario)).ToArray();
        var aborts = parts.Select(p => context?.AbortCheck(p.Scenario)).ToArray();
        var trials = await LoadRunner.RunMixAsync(target, parts, frozen, planners, aborts, RequestObservers.Current, linked.Token, context is null ? null : context.Progress).ConfigureAwait(false);
        var reports = new LoadReport[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            reports[i] = trials[i].Count == 1 ? trials[i][0] : LoadReport.Merge(trials[i]);
            context?.RunCompleted(parts[i].Scenario, trials[i], reports[i]);
        }

        return new MixedLoadReport(reports);
    }
}
