using System.Reflection;

namespace PerfRegression;

/// <summary>
/// What happens after the body of a performance test, whichever attribute closes the scope: budgets
/// and baseline verdicts are decided together, written to the output and the results, files are
/// attached, and the test fails once with the whole sectioned verdict.
/// </summary>
internal static class ScopeEvaluation
{
    public static void Finish(MeasurementScope scope, MethodInfo method)
    {
        var reports = scope.Reports;
        foreach (var warning in reports.SelectMany(r => r.Warnings).Distinct(StringComparer.Ordinal))
        {
            TestAmbient.AddWarning(warning);
        }

        for (var i = 0; i < reports.Count; i++)
        {
            TestAmbient.Attach(reports.Count == 1 ? "load-report.json" : $"load-report-{i + 1}.json", reports[i].ToJson());
        }

        var budgets = BudgetEvaluation.Evaluate(reports, scope.Budgets);
        var gate = scope.UsedGate?.Finish(budgets.Passed);
        var test = $"{method.ReflectedType?.Name ?? method.DeclaringType?.Name}.{method.Name}";
        var checks = scope.Checks.Select(c => c.Evaluate(reports)).ToArray();
        var text = VerdictText.Render(budgets, gate, test, checks);
        TestAmbient.WriteLine(text);
        foreach (var check in checks)
        {
            foreach (var warning in check.Warnings)
            {
                TestAmbient.AddWarning(warning);
            }

            foreach (var (name, content) in check.Attachments)
            {
                TestAmbient.Attach(name, content);
            }
        }

        if (gate is not null)
        {
            foreach (var comparison in gate.Comparisons.Where(c => c.Severity == VerdictSeverity.Warn))
            {
                TestAmbient.AddWarning($"{comparison.Route} {comparison.Statistic} {comparison.Verdict}: {comparison.Reason}.");
            }

            foreach (var note in gate.Notes)
            {
                TestAmbient.AddWarning(note);
            }

            if (gate.ReceivedPath is { } received && File.Exists(received))
            {
                TestAmbient.Attach(Path.GetFileName(received), File.ReadAllText(received));
            }
        }

        ResultsWriter.TryWrite(scope, test, budgets, gate);

        if (!budgets.Passed || gate?.Failed == true || checks.Any(c => !c.Passed))
        {
            throw new PerformanceCheckException(text, budgets, gate);
        }
    }
}
