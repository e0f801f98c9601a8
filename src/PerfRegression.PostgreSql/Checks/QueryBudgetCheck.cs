using PerfRegression.Checks;

namespace PerfRegression.PostgreSql;

/// <summary>The database checks of a test (<c>[QueryBudget]</c>): stops the capture after the body and checks it against the budget.</summary>
internal sealed class QueryBudgetCheck(QueryCapture capture, QueryBudget budget) : IPerfCheck
{
    public async ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken)
    {
        capture.Dispose();
        var result = (await capture.AnalyzeAsync(budget, cancellationToken).ConfigureAwait(false)).ToCheckResult();
        return result with { Attachments = [.. result.Attachments, new CheckAttachment("database-report.txt", VerdictText.Section(result))] };
    }
}
