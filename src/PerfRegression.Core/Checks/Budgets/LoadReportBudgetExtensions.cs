namespace PerfRegression;

/// <summary>Budgets stated in code, next to <c>[LatencyBudget]</c>.</summary>
public static class LoadReportBudgetExtensions
{
    /// <summary>Checks the budgets against the report without throwing.</summary>
    public static BudgetEvaluation Evaluate(this LoadReport report, params Budget[] budgets)
    {
        ArgumentNullException.ThrowIfNull(report);
        return BudgetEvaluation.Evaluate([report], budgets);
    }

    /// <summary>Throws <see cref="PerfCheckException"/>, with the sectioned verdict, unless every budget holds.</summary>
    /// <returns>The report, for chaining.</returns>
    /// <exception cref="PerfCheckException">A budget is broken or cannot be checked.</exception>
    public static LoadReport EnsureWithin(this LoadReport report, params Budget[] budgets)
    {
        var evaluation = report.Evaluate(budgets);
        return evaluation.Passed ? report : throw new PerfCheckException(TestVerdict.Of([report], [evaluation.ToCheckResult()]));
    }
}
