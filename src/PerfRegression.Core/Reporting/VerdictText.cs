using System.Globalization;
using System.Text;

namespace PerfRegression;

/// <summary>
/// Renders the sectioned verdict of a test: budgets side by side with measurements, baseline verdicts
/// with ratio, interval and evidence, problems, environment notes, files, the run, warnings, and what
/// to do. The same text goes to the failure message, the test output and the results.
/// </summary>
internal static class VerdictText
{
    public static string Render(BudgetEvaluation budgets, GateOutcome? gate, string? test = null, IReadOnlyList<ScopeCheckResult>? checks = null)
    {
        checks ??= [];
        var text = new StringBuilder();
        var failedChecks = checks.Where(c => !c.Passed).ToArray();
        if (failedChecks.Length > 0 && budgets.Passed && gate?.Failed != true)
        {
            var scenarios = string.Join(", ", budgets.Reports.Select(r => $"'{r.Scenario}'").Distinct(StringComparer.Ordinal));
            text.Append(CultureInfo.InvariantCulture, $"Performance check failed for {test ?? gate?.Test ?? "the test"} (scenario {(scenarios.Length == 0 ? "(none)" : scenarios)}): {string.Join(", ", failedChecks.Select(c => c.Headline))}.\n");
        }
        else
        {
            AppendHeadline(text, budgets, gate, test);
            if (failedChecks.Length > 0)
            {
                text.Length--;
                text.Append(CultureInfo.InvariantCulture, $" Also: {string.Join(", ", failedChecks.Select(c => c.Headline))}.\n");
            }
        }

        AppendProblems(text, budgets.Problems.Concat(gate?.Problems ?? []).ToArray());
        AppendBudgets(text, budgets);
        if (gate is not null)
        {
            AppendBaseline(text, gate);
        }

        foreach (var check in checks)
        {
            text.Append('\n').Append(check.Title).Append('\n').Append(check.Body.TrimEnd('\n')).Append('\n');
        }

        AppendRun(text, budgets.Reports);
        AppendWhatToDo(text, budgets, gate);
        if (failedChecks.Length > 0)
        {
            if (budgets.Passed && gate?.Failed != true)
            {
                text.Append("\nWhat to do\n");
            }

            foreach (var check in failedChecks.Where(c => c.WhatToDo is not null))
            {
                text.Append("  ").Append(check.WhatToDo).Append('\n');
            }
        }

        return text.ToString();
    }

    private static void AppendHeadline(StringBuilder text, BudgetEvaluation budgets, GateOutcome? gate, string? test)
    {
        var scenarios = string.Join(", ", budgets.Reports.Select(r => $"'{r.Scenario}'").Distinct(StringComparer.Ordinal));
        var brokenBudgets = budgets.Results.Count(r => !r.Passed);
        var slower = gate?.Comparisons.Count(c => c.Severity == VerdictSeverity.Fail) ?? 0;
        var passed = budgets.Passed && gate?.Failed != true;
        if (passed && test is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Performance check passed for {test} (scenario {(scenarios.Length == 0 ? "(none)" : scenarios)}).\n");
            return;
        }

        if (gate is null)
        {
            text.Append(brokenBudgets > 0
                ? string.Create(CultureInfo.InvariantCulture, $"Performance budget broken: {brokenBudgets} of {budgets.Results.Count} budget checks failed in scenario {scenarios}.\n")
                : $"Performance budget could not be checked in scenario {(scenarios.Length == 0 ? "(none)" : scenarios)}.\n");
            return;
        }

        var parts = new List<string>();
        if (brokenBudgets > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{brokenBudgets} of {budgets.Results.Count} budget checks broken"));
        }

        if (slower > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{slower} {(slower == 1 ? "statistic" : "statistics")} confidently slower than the baseline by more than {Formatting.Percent(gate.Policy.FailMargin)}"));
        }

        var problems = budgets.Problems.Count + gate.Problems.Count;
        if (problems > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{problems} {(problems == 1 ? "problem" : "problems")}"));
        }

        text.Append(CultureInfo.InvariantCulture, $"Performance check failed for {test ?? gate.Test} (scenario {(scenarios.Length == 0 ? "(none)" : scenarios)}): {string.Join(", ", parts)}.\n");
    }

    private static void AppendProblems(StringBuilder text, string[] problems)
    {
        if (problems.Length == 0)
        {
            return;
        }

        text.Append("\nProblems\n");
        foreach (var problem in problems)
        {
            text.Append("  - ").Append(problem).Append('\n');
        }
    }

    private static void AppendBudgets(StringBuilder text, BudgetEvaluation budgets)
    {
        if (budgets.Results.Count == 0)
        {
            return;
        }

        text.Append("\nBudgets\n");
        var multiple = budgets.Reports.Select(r => r.Scenario).Distinct(StringComparer.Ordinal).Count() > 1;
        var table = new TextTable("route", "metric", "budget", "measured", "samples", "verdict").LeftAlign(1).LeftAlign(5);
        foreach (var r in budgets.Results.OrderBy(r => r.Passed))
        {
            var verdict = r.Passed ? "ok" : r.Samples == 0 ? "BROKEN (no samples)" : $"BROKEN by {Formatting.Percent(r.Excess)}";
            table.Add(multiple ? $"{r.Scenario}/{r.Route}" : r.Route, r.Budget.MetricName, r.Budget.LimitText, r.Budget.FormatValue(r.Measured), Formatting.Count(r.Samples), verdict);
        }

        table.WriteTo(text);
    }

    public static void AppendBaseline(StringBuilder text, GateOutcome gate)
    {
        text.Append(CultureInfo.InvariantCulture, $"\nBaseline ({gate.Profile} profile, {gate.Mode.ToString().ToLowerInvariant()} mode)\n");
        if (gate.Comparisons.Count > 0)
        {
            var table = new TextTable("route", "stat", "baseline", "current", "change", "95% interval", "trials", "requests", "verdict").LeftAlign(1).LeftAlign(8);
            foreach (var c in gate.Comparisons)
            {
                var interval = double.IsNaN(c.RatioLower) ? "n/a (1 trial)" : $"{Formatting.SignedPercent(c.RatioLower - 1)} .. {Formatting.SignedPercent(c.RatioUpper - 1)}";
                var verdict = c.Severity switch
                {
                    VerdictSeverity.Fail => $"{c.Verdict}: FAIL",
                    VerdictSeverity.Warn => $"{c.Verdict}: warn",
                    _ => c.Verdict.ToString(),
                };
                table.Add(
                    c.Route,
                    c.Statistic,
                    Formatting.Milliseconds(RegressionComparer.Median(c.Baseline)),
                    Formatting.Milliseconds(RegressionComparer.Median(c.Current)),
                    Formatting.SignedPercent(c.Ratio - 1),
                    interval,
                    string.Create(CultureInfo.InvariantCulture, $"{c.Baseline.Count} / {c.Current.Count}"),
                    $"{Formatting.Count(c.BaselineSamples)} / {Formatting.Count(c.CurrentSamples)}",
                    verdict);
            }

            table.WriteTo(text);
            foreach (var c in gate.Comparisons.Where(c => c.Verdict != Verdict.Same))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {c.Route} {c.Statistic}: {c.Reason}.\n");
            }
        }
        else
        {
            text.Append("  no comparison was made (see the notes).\n");
        }

        foreach (var note in gate.Notes)
        {
            text.Append("  note: ").Append(note).Append('\n');
        }

        text.Append("  baseline: ").Append(gate.BaselinePath).Append('\n');
        if (gate.ReceivedPath is { } received)
        {
            text.Append("  received: ").Append(received).Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"  accept it: mv '{received}' '{gate.BaselinePath}'\n");
        }
    }

    private static void AppendRun(StringBuilder text, IReadOnlyList<LoadReport> reports)
    {
        if (reports.Count == 0)
        {
            return;
        }

        text.Append("\nRun\n");
        foreach (var report in reports)
        {
            var trials = report.Runs > 1 ? string.Create(CultureInfo.InvariantCulture, $" · {report.Runs} trials") : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"  '{report.Scenario}' · target {report.Target} · {report.Profile} · measured {Formatting.Duration(report.Duration)}{trials} · {Formatting.Count(report.Overall.Count)} requests, {Formatting.Percent(report.Overall.ErrorRate)} errors\n");
        }

        var warnings = reports.SelectMany(r => r.Warnings).Distinct(StringComparer.Ordinal).ToArray();
        if (warnings.Length > 0)
        {
            text.Append("\nWarnings (they may explain the result)\n");
            foreach (var warning in warnings)
            {
                text.Append("  ! ").Append(warning).Append('\n');
            }
        }
    }

    private static void AppendWhatToDo(StringBuilder text, BudgetEvaluation budgets, GateOutcome? gate)
    {
        if (budgets.Passed && gate?.Failed != true)
        {
            return;
        }

        text.Append("\nWhat to do\n");
        var broken = budgets.Results.Any(r => !r.Passed);
        var slower = gate?.Comparisons.Any(c => c.Severity == VerdictSeverity.Fail) ?? false;
        var problems = budgets.Problems.Count + (gate?.Problems.Count ?? 0);
        if (problems > 0 && !broken && !slower)
        {
            text.Append("  Fix the problems above; a check that cannot be made never passes.\n");
            return;
        }

        if (broken || (gate is null && problems == 0))
        {
            text.Append("  Profile the broken route and fix the slowdown; if the requirement itself changed, change the budget in the test.\n");
        }

        if (slower)
        {
            text.Append("  Find what made the route slower (compare with the baseline's commit). If the slowdown is intended, accept the received baseline (the mv command above) and commit it with the change.\n");
        }
    }
}
