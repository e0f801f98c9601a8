using PerfRegression.Engine;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Capacity search: how much load a system takes within a budget, and where it breaks. Steps the arrival rate up (open
/// model, so a system that slows down is not offered less) until a step breaks a budget or stops keeping up, then
/// narrows between the highest rate within budget and the lowest that broke, and reports both, the signals at the
/// knee (CPU, thread pool, GC, database) and every step. The seed's "zero errors at 80% of capacity" is then one call:
/// <c>Load.RunAsync(target, scenario, LoadProfile.ConstantRate(found.WithinBudget!.Value * 0.8, ...))</c> with an
/// error-rate budget of 0.
/// </summary>
public static class Capacity
{
    /// <summary>Searches the capacity of <paramref name="scenario"/> against <paramref name="target"/>.</summary>
    /// <param name="target">The system under test.</param>
    /// <param name="scenario">What each iteration does.</param>
    /// <param name="options">The budgets and the steps; <see langword="null"/> for the documented defaults.</param>
    /// <param name="cancellationToken">Stops the search; the current xUnit test's token is honoured too.</param>
    /// <returns>
    /// What the search found. In a performance test it is part of the verdict (the Capacity section: against
    /// <c>[CapacityBudget]</c>'s minimum and the capacity baseline); its steps are not load runs of the test, so the
    /// test's latency budgets do not apply to them. In code, <see cref="CapacityReportExtensions.EnsureAtLeast"/> asserts on it.
    /// </returns>
    /// <exception cref="PerfConfigurationException">The options, target or scenario are invalid; the message lists every problem.</exception>
    public static async Task<CapacityReport> FindAsync(ILoadTarget target, Scenario scenario, CapacityOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CapacityOptions();
        var problems = new Problems();
        problems.AddRange(options.Validate());
        problems.ThrowIfAny($"The capacity search of '{scenario?.Name}'");
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(scenario);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, LoadRunContext.Current?.CancellationToken ?? CancellationToken.None);
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        var steps = new List<CapacityStep>();
        double? within = null;
        double? breaking = null;

        // Upward: Growth times the last rate until one breaks (or the highest rate holds).
        for (var rate = options.StartRate; ; rate = Math.Min(rate * options.Growth, options.MaxRate))
        {
            var step = await StepAsync(target, scenario, options, rate, first: steps.Count == 0, linked.Token).ConfigureAwait(false);
            steps.Add(step);
            if (!step.WithinBudget)
            {
                breaking = rate;
                break;
            }

            within = rate;
            if (rate >= options.MaxRate || time.GetElapsedTime(started) + (options.StepDuration * 2) > options.MaxDuration)
            {
                break;
            }
        }

        // Narrowing: the geometric middle of the two until they are within Precision of each other.
        while (within is { } low && breaking is { } high && high / low > 1 + options.Precision && time.GetElapsedTime(started) + (options.StepDuration * 2) <= options.MaxDuration)
        {
            var middle = Math.Sqrt(low * high);
            var step = await StepAsync(target, scenario, options, middle, first: false, linked.Token).ConfigureAwait(false);
            steps.Add(step);
            if (step.WithinBudget)
            {
                within = middle;
            }
            else
            {
                breaking = middle;
            }
        }

        var knee = steps.Where(s => !s.WithinBudget).OrderBy(s => s.Rate).FirstOrDefault() ?? steps.OrderByDescending(s => s.Rate).First();
        var (name, evidence) = PerformanceReport.Bottleneck(PerformanceReport.Signals.Of(knee.Report));
        var timedOut = breaking is null ? steps[^1].Rate < options.MaxRate : within is { } w && breaking.Value / w > 1 + options.Precision;
        var found = new CapacityReport(scenario.Name, within, breaking, $"{name} at {Formatting.Rate(knee.Rate)}. {evidence}", steps, time.GetElapsedTime(started)) { TimedOut = timedOut };
        LoadRunContext.Current?.CapacityFound(found);
        return found;
    }

    private static async Task<CapacityStep> StepAsync(ILoadTarget target, Scenario scenario, CapacityOptions options, double rate, bool first, CancellationToken cancellationToken)
    {
        // The first step warms the process up as any run does; later ones only settle at their own rate.
        var load = first ? new LoadOptions() : new LoadOptions { Warmup = TimeSpan.FromMilliseconds(500), MaxWarmup = TimeSpan.FromSeconds(1) };
        var trials = await LoadRunner.RunTrialsAsync(target, scenario, LoadProfile.ConstantRate(rate, options.StepDuration, options.MaxConcurrency), load, planner: null, RequestObservers.Current, cancellationToken).ConfigureAwait(false);
        var report = trials[0];
        var evaluation = BudgetEvaluation.Evaluate([report], options.Budgets);
        var broken = evaluation.Results.Where(r => !r.Passed).Select(r => $"{r.Budget.MetricName} {r.Budget.FormatValue(r.Measured)} (budget {r.Budget.LimitText})").Concat(evaluation.Problems).ToList();
        var offered = report.Duration.TotalSeconds > 0 ? (report.Iterations + report.DroppedIterations) / report.Duration.TotalSeconds : rate;
        var completed = report.Overall.Throughput;
        var iterationsPerSecond = report.Duration.TotalSeconds > 0 ? report.Iterations / report.Duration.TotalSeconds : 0;
        if (iterationsPerSecond < rate * (1 - options.ThroughputShortfall) || report.DroppedIterations > 0.01 * Math.Max(1, offered * report.Duration.TotalSeconds))
        {
            broken.Add($"completed {Formatting.Rate(iterationsPerSecond)} iterations of the {Formatting.Rate(rate)} offered{(report.DroppedIterations > 0 ? $", {Formatting.Count(report.DroppedIterations)} never started" : string.Empty)}: not keeping up");
        }

        return new CapacityStep(rate, completed, report.Overall.Latency.P95, report.Overall.ErrorRate, broken.Count == 0, broken.Count == 0 ? null : string.Join("; ", broken), report);
    }
}
