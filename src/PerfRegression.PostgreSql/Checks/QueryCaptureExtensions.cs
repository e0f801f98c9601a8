namespace PerfRegression.PostgreSql;

/// <summary>The database checks in code, the equivalent of <c>[QueryBudget]</c>: analyse a capture, and fail when its budget is broken.</summary>
public static class QueryCaptureExtensions
{
    /// <summary>
    /// Checks what was captured against <paramref name="budget"/> (the default: no N+1, plans that use
    /// indexes): per-route statistics, N+1 patterns, <c>EXPLAIN</c> of every distinct statement, statement
    /// durations, the connection pool and the server's own statistics.
    /// </summary>
    /// <exception cref="PerfConfigurationException">The budget is invalid; the message lists every problem.</exception>
    public static Task<QueryReport> AnalyzeAsync(this QueryCapture capture, QueryBudget? budget = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capture);
        budget ??= new QueryBudget();
        if (budget.Validate() is { Count: > 0 } problems)
        {
            throw new PerfConfigurationException(nameof(QueryBudget), problems);
        }

        return QueryAnalysis.AnalyzeAsync(capture, budget, cancellationToken);
    }

    /// <summary>Analyses the capture against <paramref name="budget"/> and throws when it is broken (see <see cref="EnsureWithinBudget(QueryReport)"/>).</summary>
    /// <exception cref="PerfCheckException">A finding broke the budget, or the checks could not see the SQL.</exception>
    public static async Task<QueryReport> EnsureWithinAsync(this QueryCapture capture, QueryBudget? budget = null, CancellationToken cancellationToken = default)
    {
        var report = await capture.AnalyzeAsync(budget, cancellationToken).ConfigureAwait(false);
        return report.EnsureWithinBudget();
    }

    /// <summary>Throws a <see cref="PerfCheckException"/> with the whole <c>Database</c> section when the report's budget is broken; returns the report otherwise.</summary>
    /// <exception cref="PerfCheckException">A finding broke the budget, or the checks could not see the SQL.</exception>
    public static QueryReport EnsureWithinBudget(this QueryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Passed ? report : throw new PerfCheckException(TestVerdict.Of([], [report.ToCheckResult()]));
    }
}
