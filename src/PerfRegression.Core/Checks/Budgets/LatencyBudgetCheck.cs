using PerfRegression.Checks;

namespace PerfRegression;

/// <summary>The absolute budgets of a test (<c>[LatencyBudget]</c>), checked against every load run of its body.</summary>
internal sealed class LatencyBudgetCheck : IPerfCheck
{
    private readonly List<Budget> _budgets = [];

    public IReadOnlyList<Budget> Budgets => _budgets;

    public void Add(IEnumerable<Budget> budgets) => _budgets.AddRange(budgets);

    public ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(BudgetEvaluation.Evaluate(context.Reports, _budgets).ToCheckResult());
    }
}
