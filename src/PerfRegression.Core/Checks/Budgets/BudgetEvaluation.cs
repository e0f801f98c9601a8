using System.Globalization;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>The outcome of one budget on one route of one run.</summary>
/// <param name="Budget">The budget.</param>
/// <param name="Scenario">The scenario whose report was checked.</param>
/// <param name="Route">The route checked (or <see cref="LoadReport.AllRoutes"/>).</param>
/// <param name="Measured">The measured value; NaN when nothing was recorded.</param>
/// <param name="Samples">Requests the value is computed from.</param>
public sealed record BudgetResult(Budget Budget, string Scenario, string Route, double Measured, long Samples)
{
    /// <summary>Whether the budget held. A budget with no samples does not hold.</summary>
    public bool Passed => Samples > 0 && !double.IsNaN(Measured) && (Budget.IsLowerLimit ? Measured >= Budget.Limit : Measured <= Budget.Limit);

    /// <summary>The budget and what it judged, e.g. <c>p95 budget on route 'search'</c>, <c>p95 budget on {kind:payment}</c>, <c>error rate budget</c>.</summary>
    public string Description => $"{Budget.MetricName} budget" + (Route == LoadReport.AllRoutes ? string.Empty : Budget.IsLabelScoped ? $" on {Route}" : $" on route '{Route}'");

    /// <summary>How far the measurement is beyond the limit, relative to it (0.2 = 20% over); 0 when passed.</summary>
    public double Excess => Passed || Samples == 0 ? 0 : Budget.IsLowerLimit ? (Budget.Limit - Measured) / Budget.Limit : (Measured - Budget.Limit) / Budget.Limit;
}

/// <summary>Every budget checked against every report of a test: results, problems, and the failure message.</summary>
public sealed class BudgetEvaluation
{
    private BudgetEvaluation(IReadOnlyList<LoadReport> reports, IReadOnlyList<BudgetResult> results, IReadOnlyList<string> problems)
    {
        Reports = reports;
        Results = results;
        Problems = problems;
    }

    /// <summary>The reports checked.</summary>
    public IReadOnlyList<LoadReport> Reports { get; }

    /// <summary>One result per budget and route.</summary>
    public IReadOnlyList<BudgetResult> Results { get; }

    /// <summary>Problems that make the check itself impossible: no load recorded, a route that does not exist.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Whether every budget held and nothing made the check impossible.</summary>
    public bool Passed => Problems.Count == 0 && Results.All(r => r.Passed);

    /// <summary>Checks <paramref name="budgets"/> against <paramref name="reports"/>.</summary>
    /// <exception cref="PerfConfigurationException">A budget is invalid; the message lists every problem.</exception>
    public static BudgetEvaluation Evaluate(IReadOnlyList<LoadReport> reports, IReadOnlyList<Budget> budgets)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(budgets);
        var invalid = new Problems();
        invalid.AddRange(budgets.SelectMany(b => b.Validate()));
        invalid.ThrowIfAny("The budget");

        var results = new List<BudgetResult>();
        if (CheckContext.NoLoadProblem(reports) is { } noLoad)
        {
            return new BudgetEvaluation(reports, results, [noLoad]);
        }

        var problems = new List<string>();
        foreach (var aborted in reports.Where(r => r.Aborted is not null).Select(r => r.Aborted!).Distinct())
        {
            problems.Add($"The run was {aborted}. An abort-on-fail budget ends the run as soon as it is broken over the run so far, so the figures describe the run until then; fix what broke it (see the budgets below), and run again.");
        }

        foreach (var budget in budgets)
        {
            if (budget.IsLabelScoped && !budget.IsCost)
            {
                EvaluateScoped(budget, reports, results, problems);
                continue;
            }

            if (budget.IsCost)
            {
                EvaluateCost(budget, reports, results, problems);
                continue;
            }

            if (budget.Route is null)
            {
                foreach (var report in reports)
                {
                    AddMeasured(budget, report.Scenario, report.Overall, results, problems);
                }

                continue;
            }

            var matched = false;
            foreach (var report in reports)
            {
                if (report.TryGetRoute(budget.Route, out var route))
                {
                    matched = true;
                    AddMeasured(budget, report.Scenario, route, results, problems);
                }
            }

            if (!matched)
            {
                var known = string.Join(", ", reports.SelectMany(r => r.Routes.Select(x => $"'{x.Name}'")).Distinct(StringComparer.Ordinal));
                problems.Add($"The {budget.MetricName} budget names route '{budget.Route}', which the test did not record. Recorded routes: {known}. Use a step's name as the route.");
            }
        }

        return new BudgetEvaluation(reports, results, problems);
    }

    // scenario: the route's scenario; for a tag or a group, the scenarios in scope joined with " + ".
    private static void AddMeasured(Budget budget, string scenario, RouteStatistics route, List<BudgetResult> results, List<string> problems)
    {
        if (budget.Measure(route) is { } value)
        {
            results.Add(new BudgetResult(budget, scenario, route.Name, value, budget.Samples(route)));
        }
        else
        {
            problems.Add($"The {budget.MetricName} budget cannot be checked on {(route.Name == LoadReport.AllRoutes ? $"scenario '{scenario}'" : $"route '{route.Name}'")}: only HTTP steps have a response the runner reads, and {(route.Name == LoadReport.AllRoutes ? "this scenario has only code steps" : budget.IsLabelScoped ? "every route in its scope is a code step" : "this route is a code step")}. "
                + "Budget an HTTP step's route, or measure the payload inside the code step with a custom metric.");
        }
    }

    /// <summary>A tag- or group-scoped budget judges every route in its scope, across the test's scenarios, together.</summary>
    private static void EvaluateScoped(Budget budget, IReadOnlyList<LoadReport> reports, List<BudgetResult> results, List<string> problems)
    {
        var covered = reports.SelectMany(r => r.Routes.Where(budget.Covers).Select(route => (Report: r, Route: route))).ToArray();
        if (covered.Length == 0)
        {
            var labels = reports.SelectMany(r => r.Routes)
                .SelectMany(r => r.Tags.Select(t => $"{t.Key}:{t.Value}").Concat(r.Group is { } g ? [$"group {g}"] : []))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            problems.Add($"The {budget.MetricName} budget is scoped to {budget.Scope}, which no recorded route carries, so it would judge nothing. Tags and groups recorded: {(labels.Length == 0 ? "(none)" : string.Join(", ", labels))}. "
                + (budget.Group is not null ? "Put the steps in the group with Scenario.Group(name, g => ...)." : "Tag the steps with .Tagged(key, value) or the scenario with .WithTag(key, value)."));
            return;
        }

        var scenarios = string.Join(" + ", covered.Select(c => c.Report.Scenario).Distinct(StringComparer.Ordinal));
        // Routes of one mix ran over the same time: the scope's throughput is its requests over that time.
        var duration = covered.Select(c => c.Report.Duration).Max();
        var combined = RouteStatistics.Combine(budget.Scope, covered.Select(c => c.Route).ToArray(), duration);
        AddMeasured(budget, scenarios, combined, results, problems);
    }

    /// <summary>A cost per request is measured per scenario run: over all routes, or for a route that is its scenario's only step.</summary>
    private static void EvaluateCost(Budget budget, IReadOnlyList<LoadReport> reports, List<BudgetResult> results, List<string> problems)
    {
        var matched = false;
        foreach (var report in reports)
        {
            if (budget.Route is { } name)
            {
                if (!report.TryGetRoute(name, out _))
                {
                    continue;
                }

                if (report.Routes.Count > 1)
                {
                    problems.Add($"The {budget.MetricName} budget names route '{name}', but scenario '{report.Scenario}' has {report.Routes.Count} steps ({string.Join(", ", report.Routes.Select(r => $"'{r.Name}'"))}), and a cost per request is measured for the whole scenario. "
                        + "Leave Route unset to budget the scenario's average request, or give the route a scenario of its own.");
                    matched = true;
                    continue;
                }
            }

            matched = true;
            if (report.RanWith.Count > 0)
            {
                problems.Add($"The {budget.MetricName} budget cannot be checked for scenario '{report.Scenario}': it ran in a mix with {string.Join(", ", report.RanWith.Select(s => $"'{s}'"))}, and this process's CPU time, allocations, collections, database operations and heap are the whole mix's, not this scenario's. "
                    + "Budget costs in a run of the scenario alone (Load.RunAsync), and latency and errors in the mix.");
                continue;
            }

            if (budget.IsMemory && report.Runtime?.OtherTestsInProcess == true)
            {
                problems.Add($"The {budget.MetricName} budget cannot be checked for scenario '{report.Scenario}': other tests ran in this process during the run, and the heap is the whole process's, so their memory would count as this run's. "
                    + "Put memory-budgeted tests in an xUnit collection with DisableParallelization = true, so they run alone.");
                continue;
            }

            if (budget.MeasureCost(report) is { } value)
            {
                results.Add(new BudgetResult(budget, report.Scenario, budget.Route ?? LoadReport.AllRoutes, value, budget.IsMemory ? report.Memory!.Requests : report.Resources!.Requests));
            }
            else if (budget.IsMemory)
            {
                problems.Add(report.Memory is null
                    ? $"The {budget.MetricName} budget cannot be checked for scenario '{report.Scenario}': the run did not measure memory. A run measures it (a full collection before and after the measured phase) when the test states the budget with [MemoryBudget] before the run, or when LoadOptions.MeasureMemory is true; set it for a budget checked in code."
                    : $"The {budget.MetricName} budget cannot be checked for scenario '{report.Scenario}': the working set was not sampled (the runtime is sampled only on the system clock, not under an injected TimeProvider).");
            }
            else
            {
                problems.Add(report.Resources is null
                    ? $"The {budget.MetricName} budget cannot be checked for scenario '{report.Scenario}': the run did not measure its costs per request (the runtime is sampled only on the system clock, not under an injected TimeProvider)."
                    : $"The {budget.MetricName} budget cannot be checked for scenario '{report.Scenario}': no database client in this process reported its operations (the OpenTelemetry instrument db.client.operation.duration; Npgsql 8 or later, Microsoft.Data.SqlClient and MySqlConnector publish it). Use such a client, or remove the budget.");
            }
        }

        if (!matched)
        {
            var known = string.Join(", ", reports.SelectMany(r => r.Routes.Select(x => $"'{x.Name}'")).Distinct(StringComparer.Ordinal));
            problems.Add($"The {budget.MetricName} budget names route '{budget.Route}', which the test did not record. Recorded routes: {known}. Use a step's name as the route.");
        }
    }

    /// <summary>The evaluation as a check's result: the <c>Budgets</c> section, each budget side by side with its measurement.</summary>
    public CheckResult ToCheckResult()
    {
        var broken = Results.Count(r => !r.Passed);
        var multiple = Reports.Select(r => r.Scenario).Distinct(StringComparer.Ordinal).Count() > 1;
        string RouteOf(BudgetResult r) => multiple && !r.Budget.IsLabelScoped ? $"{r.Scenario}/{r.Route}" : r.Route;
        var ordered = Results.OrderBy(r => r.Passed).ToArray();
        var table = new TableBlock(
            ["route", "metric", "budget", "measured", "samples", "verdict"],
            ordered.Select(r => (IReadOnlyList<string>)[RouteOf(r), r.Budget.MetricName, r.Budget.LimitText, r.Budget.FormatValue(r.Measured), Formatting.Count(r.Samples), Verdict(r)]).ToArray())
        {
            LeftAligned = [1, 5],
        };
        return new CheckResult
        {
            Title = "Budgets",
            Severity = broken > 0 ? CheckSeverity.Fail : CheckSeverity.Pass,
            Headline = broken > 0 ? string.Create(CultureInfo.InvariantCulture, $"{broken} of {Results.Count} budget checks broken") : string.Empty,
            Problems = Problems,
            Items = ordered.Select(r => new CheckItem
            {
                Severity = r.Passed ? CheckSeverity.Pass : CheckSeverity.Fail,
                Subject = RouteOf(r),
                Check = r.Budget.IsDefault ? "error rate budget (default)" : $"{r.Budget.MetricName} budget",
                Expected = r.Budget.LimitText,
                Measured = r.Budget.FormatValue(r.Measured),
                Evidence = Formatting.Plural(r.Samples, "request", "requests"),
                Verdict = r.Passed ? "ok" : "broken",
            }).ToArray(),
            Body = Results.Count > 0 ? [table] : [],
            WhatToDo = broken > 0 ? "Profile the broken route and fix the slowdown; if the requirement itself changed, change the budget in the test." : null,
            Brief = Brief(RouteOf),
            Details = this,
        };
    }

    /// <summary>The sectioned message of a failed check: budgets side by side with measurements, the run, warnings, what to do.</summary>
    public string FailureMessage() => TestVerdict.Of(Reports, [ToCheckResult()]).Text;

    /// <summary>The budget closest to its limit (or the most broken), e.g. <c>p95 41 ms ≤ 500 ms</c>; the default error budget only when it is the only one.</summary>
    private string Brief(Func<BudgetResult, string> routeOf)
    {
        var stated = Results.Where(r => !r.Budget.IsDefault).ToArray();
        var candidates = (stated.Length > 0 ? stated : Results).Where(r => r.Samples > 0 && !double.IsNaN(r.Measured)).ToArray();
        if (candidates.Length == 0)
        {
            return string.Empty;
        }

        // How far each measurement went towards its limit: above 1 it broke it.
        static double Used(BudgetResult r) => r.Budget.Limit == 0
            ? (r.Passed ? 0 : double.MaxValue)
            : r.Budget.IsLowerLimit ? (r.Measured == 0 ? double.MaxValue : r.Budget.Limit / r.Measured) : r.Measured / r.Budget.Limit;
        var closest = candidates.OrderByDescending(Used).First();
        var route = candidates.Select(r => r.Route).Distinct(StringComparer.Ordinal).Count() > 1 ? routeOf(closest) + " " : string.Empty;
        var limit = (closest.Budget.IsLowerLimit ? "≥ " : "≤ ") + closest.Budget.FormatValue(closest.Budget.Limit);
        var others = candidates.Length > 1 ? string.Create(CultureInfo.InvariantCulture, $", the closest of {candidates.Length} budgets") : string.Empty;
        return closest.Passed
            ? $"{route}{closest.Budget.MetricName} {closest.Budget.FormatValue(closest.Measured)} {limit}{others}"
            : $"{route}{closest.Budget.MetricName} {closest.Budget.FormatValue(closest.Measured)}, over its budget {limit}";
    }

    private static string Verdict(BudgetResult r) => r.Passed ? "ok" : r.Samples == 0 ? "BROKEN (no successful request)" : $"BROKEN by {Formatting.Percent(r.Excess)}";
}
