using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Budgets on the custom metrics a test's scenarios record (<see cref="CustomMetrics"/>: k6's Rate, Trend and Counter),
/// checked against every load run of the test body, in the verdict's <c>Custom metrics</c> section. Stated with
/// <c>[MetricBudget("payment_success", MinRate = 0.995)]</c>, or in code with
/// <c>session.AddCheck(new CustomMetricCheck(new MetricBudget("cache_hit") { MinRate = 0.9 }))</c>, or on one report
/// with <see cref="EnsureWithin"/>.
/// </summary>
/// <remarks>
/// A budget on a metric that no run recorded, or recorded as another kind, cannot be checked and fails the test with
/// the metrics that were recorded: a misspelt name never passes. A counter that may legitimately stay at zero (errors
/// that must never happen) must still be recorded once, e.g. <c>user.Metrics.Counter("overbooked", 0)</c>, so that
/// zero is measured rather than assumed.
/// </remarks>
public sealed class CustomMetricCheck : IPerfCheck
{
    private readonly List<MetricBudget> _budgets;

    /// <summary>A check of <paramref name="budgets"/>.</summary>
    public CustomMetricCheck(params IEnumerable<MetricBudget> budgets)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        _budgets = [.. budgets];
    }

    /// <summary>The budgets checked.</summary>
    public IReadOnlyList<MetricBudget> Budgets => _budgets;

    /// <summary>Every problem with the budgets; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
        => _budgets.Count == 0
            ? ["The custom-metric check has no budget. Give at least one MetricBudget, e.g. new MetricBudget(\"payment_success\") { MinRate = 0.995 }."]
            : _budgets.SelectMany(b => b.Validate()).ToArray();

    /// <summary>Checks <paramref name="budgets"/> against <paramref name="report"/> and throws unless every one holds.</summary>
    /// <returns>The report, for chaining.</returns>
    /// <exception cref="PerfConfigurationException">A budget is invalid; the message lists every problem.</exception>
    /// <exception cref="PerfCheckException">A budget is broken or cannot be checked; the message is the sectioned verdict.</exception>
    public static LoadReport EnsureWithin(LoadReport report, params IEnumerable<MetricBudget> budgets)
    {
        ArgumentNullException.ThrowIfNull(report);
        var check = new CustomMetricCheck(budgets);
        var problems = new Problems();
        problems.AddRange(check.Validate());
        problems.ThrowIfAny("The custom-metric budgets");
        var result = check.Evaluate([report]);
        return result.Severity == CheckSeverity.Fail ? throw new PerfCheckException(TestVerdict.Of([report], [result])) : report;
    }

    /// <inheritdoc />
    public ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(Evaluate(context.Reports));
    }

    /// <summary>Adds a budget stated by another attribute of the same test, so that all of them read as one section.</summary>
    internal void Add(MetricBudget budget) => _budgets.Add(budget);

    private CheckResult Evaluate(IReadOnlyList<LoadReport> reports)
    {
        var problems = new List<string>(Validate());
        var items = new List<CheckItem>();
        if (problems.Count == 0 && CheckContext.NoLoadProblem(reports) is { } noLoad)
        {
            problems.Add(noLoad);
        }

        if (problems.Count == 0)
        {
            var scenarios = reports.Select(r => r.Scenario).Distinct(StringComparer.Ordinal).Count();
            foreach (var budget in _budgets)
            {
                Check(budget, reports, scenarios > 1, items, problems);
            }
        }

        var broken = items.Count(i => i.Severity == CheckSeverity.Fail);
        return new CheckResult
        {
            Title = "Custom metrics",
            Severity = problems.Count > 0 || broken > 0 ? CheckSeverity.Fail : CheckSeverity.Pass,
            Headline = broken > 0 ? string.Join(", ", items.Where(i => i.Severity == CheckSeverity.Fail).Select(i => $"{i.Subject} {i.Check}: {i.Measured}")) : string.Empty,
            Problems = problems,
            Items = items,
            Body = [.. ItemBlocks.Of(items, "metric", [0, 1, 4, 5])],
            WhatToDo = broken > 0 && problems.Count == 0
                ? "Find where the metric is recorded in the scenario and what made it move (the run's routes and errors are in the verdict); if the requirement itself changed, change the budget in the test."
                : null,
        };
    }

    private static void Check(MetricBudget budget, IReadOnlyList<LoadReport> reports, bool nameScenario, List<CheckItem> items, List<string> problems)
    {
        var kind = budget.Kind!.Value;
        var runs = budget.Scenario is null ? reports : reports.Where(r => string.Equals(r.Scenario, budget.Scenario, StringComparison.Ordinal)).ToArray();
        if (runs.Count == 0)
        {
            problems.Add($"The budget on metric '{budget.Metric}' names scenario '{budget.Scenario}', which the test did not run. Scenarios run: {string.Join(", ", reports.Select(r => $"'{r.Scenario}'").Distinct(StringComparer.Ordinal))}.");
            return;
        }

        var checkedAny = false;
        foreach (var report in runs)
        {
            if (report.Metrics.FirstOrDefault(m => string.Equals(m.Name, budget.Metric, StringComparison.Ordinal)) is not { } metric)
            {
                continue;
            }

            checkedAny = true;
            if (metric.Kind != kind)
            {
                problems.Add($"The budget on metric '{budget.Metric}' sets limits for a {MetricBudget.Describe(kind)}, but scenario '{report.Scenario}' records '{budget.Metric}' as a {MetricBudget.Describe(metric.Kind)} (user.Metrics.{metric.Kind}). Set the limits of a {MetricBudget.Describe(metric.Kind)}, or record the metric as the kind the budget means.");
                continue;
            }

            foreach (var limit in budget.Limits())
            {
                items.Add(Item(budget, limit, metric, nameScenario ? $"{report.Scenario}/{budget.Metric}" : budget.Metric));
            }
        }

        if (!checkedAny)
        {
            var recorded = runs.SelectMany(r => r.Metrics.Select(m => $"'{m.Name}' ({MetricBudget.Describe(m.Kind)})")).Distinct(StringComparer.Ordinal).ToArray();
            problems.Add($"The budget on metric '{budget.Metric}' cannot be checked: {(budget.Scenario is null ? "no run" : $"scenario '{budget.Scenario}'")} recorded it. "
                + (recorded.Length > 0 ? $"Recorded metrics: {string.Join(", ", recorded)}. " : "The runs recorded no custom metric. ")
                + $"Record it in a step (user.Metrics.{kind}(\"{budget.Metric}\", ...)){(kind == CustomMetricKind.Counter ? ", even with 0 where nothing happened, so that zero is measured" : string.Empty)}, or correct the budget's name.");
        }
    }

    private static CheckItem Item(MetricBudget budget, MetricLimit limit, CustomMetricSummary metric, string subject)
    {
        var samples = metric.Kind switch
        {
            CustomMetricKind.Rate => metric.Total,
            CustomMetricKind.Trend => metric.Trend!.Count,
            _ => -1,
        };
        var measured = samples == 0 ? double.NaN : limit.Measure(metric);
        var holds = limit.Holds(measured);
        return new CheckItem
        {
            Severity = holds ? CheckSeverity.Pass : CheckSeverity.Fail,
            Subject = subject,
            Check = limit.Name,
            Expected = limit.Text,
            Measured = double.IsNaN(measured) ? "no value" : limit.Format(measured) + (metric.Kind == CustomMetricKind.Rate ? $" ({Formatting.Count(metric.Trues)} of {Formatting.Count(metric.Total)})" : string.Empty),
            Evidence = metric.Kind == CustomMetricKind.Counter ? $"over {Formatting.Duration(metric.Duration)}" : Formatting.Plural(samples, "value", "values"),
            Verdict = holds ? "ok" : double.IsNaN(measured) ? "no value" : limit.IsUpper ? "over" : "under",
            Reason = holds ? null
                : double.IsNaN(measured) ? $"the scenario recorded no value of '{budget.Metric}' during the measured phase, so the limit cannot hold"
                : $"{limit.Format(measured)} is {(limit.IsUpper ? "above" : "below")} the limit of {limit.Format(limit.Value)}",
        };
    }
}
