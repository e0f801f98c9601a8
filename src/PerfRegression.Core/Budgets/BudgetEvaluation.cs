using System.Globalization;
using System.Text;

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

    /// <summary>How far the measurement is beyond the limit, relative to it (0.2 = 20% over); 0 when passed.</summary>
    public double Excess => Passed || Samples == 0 ? 0 : Budget.IsLowerLimit ? (Budget.Limit - Measured) / Budget.Limit : (Measured - Budget.Limit) / Budget.Limit;
}

/// <summary>Every budget checked against every report of a test: results, problems, and the failure message.</summary>
public sealed class BudgetEvaluation
{
    internal BudgetEvaluation(IReadOnlyList<LoadReport> reports, IReadOnlyList<BudgetResult> results, IReadOnlyList<string> problems)
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
        invalid.ThrowIfAny("The latency budget");

        var problems = new List<string>();
        var results = new List<BudgetResult>();
        if (reports.Count == 0 || reports.All(r => !r.RecordedLoad))
        {
            problems.Add(reports.Count == 0
                ? "The test has a latency budget but ran no load, so there is nothing to check. Run load in the test body with Load.RunAsync(...), or remove the budget."
                : $"The test ran load but recorded no request ({string.Join(", ", reports.Select(r => $"'{r.Scenario}': {r.Profile}"))}). Check that the profile lasts long enough for one iteration and that the target answers.");
            return new BudgetEvaluation(reports, results, problems);
        }

        foreach (var budget in budgets)
        {
            if (budget.Route is null)
            {
                results.AddRange(reports.Select(r => new BudgetResult(budget, r.Scenario, LoadReport.AllRoutes, budget.Measure(r.Overall), r.Overall.Count)));
                continue;
            }

            var matched = false;
            foreach (var report in reports)
            {
                if (report.TryGetRoute(budget.Route, out var route))
                {
                    matched = true;
                    results.Add(new BudgetResult(budget, report.Scenario, route.Name, budget.Measure(route), route.Count));
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

    /// <summary>The sectioned message of a failed check: budgets side by side with measurements, the run, warnings, what to do.</summary>
    public string FailureMessage()
    {
        var text = new StringBuilder();
        var broken = Results.Count(r => !r.Passed);
        var scenarios = string.Join(", ", Reports.Select(r => $"'{r.Scenario}'").Distinct(StringComparer.Ordinal));
        if (broken > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Performance budget broken: {broken} of {Results.Count} budget checks failed in scenario {scenarios}.\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"Performance budget could not be checked in scenario {(scenarios.Length == 0 ? "(none)" : scenarios)}.\n");
        }

        if (Problems.Count > 0)
        {
            text.Append("\nProblems\n");
            foreach (var problem in Problems)
            {
                text.Append("  - ").Append(problem).Append('\n');
            }
        }

        if (Results.Count > 0)
        {
            text.Append("\nBudgets\n");
            var multiple = Reports.Select(r => r.Scenario).Distinct(StringComparer.Ordinal).Count() > 1;
            var table = new TextTable("route", "metric", "budget", "measured", "samples", "verdict").LeftAlign(1).LeftAlign(5);
            foreach (var r in Results.OrderBy(r => r.Passed))
            {
                var verdict = r.Passed ? "ok" : r.Samples == 0 ? "BROKEN (no samples)" : $"BROKEN by {Formatting.Percent(r.Excess)}";
                table.Add(multiple ? $"{r.Scenario}/{r.Route}" : r.Route, r.Budget.MetricName, r.Budget.LimitText, r.Budget.FormatValue(r.Measured), Formatting.Count(r.Samples), verdict);
            }

            table.WriteTo(text);
        }

        if (Reports.Count > 0)
        {
            text.Append("\nRun\n");
            foreach (var report in Reports)
            {
                text.Append(CultureInfo.InvariantCulture, $"  '{report.Scenario}' · target {report.Target} · {report.Profile} · measured {Formatting.Duration(report.Duration)} · {Formatting.Count(report.Overall.Count)} requests, {Formatting.Percent(report.Overall.ErrorRate)} errors\n");
            }

            var warnings = Reports.SelectMany(r => r.Warnings).Distinct(StringComparer.Ordinal).ToArray();
            if (warnings.Length > 0)
            {
                text.Append("\nWarnings (they may explain the result)\n");
                foreach (var warning in warnings)
                {
                    text.Append("  ! ").Append(warning).Append('\n');
                }
            }
        }

        text.Append("\nWhat to do\n");
        text.Append(Problems.Count > 0 && broken == 0
            ? "  Fix the problems above; a budget that cannot be checked never passes.\n"
            : "  Profile the broken route and fix the slowdown; if the requirement itself changed, change the budget in the test.\n");
        return text.ToString();
    }
}
