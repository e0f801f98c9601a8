namespace PerfRegression.PostgreSql;

/// <summary>The code-level equivalent of <c>[QueryBudget]</c>.</summary>
public static class QueryReportExtensions
{
    /// <summary>
    /// Throws a <see cref="PerformanceCheckException"/> with the whole "Database" section when the report's
    /// budget is broken; returns the report otherwise.
    /// </summary>
    public static QueryReport EnsureWithinBudget(this QueryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Passed)
        {
            return report;
        }

        throw new PerformanceCheckException($"Query budget broken: {report.Headline}.\n\nDatabase\n{report.ToText()}");
    }

    /// <summary>Analyses the capture against <paramref name="budget"/> and throws when it is broken (see <see cref="EnsureWithinBudget(QueryReport)"/>).</summary>
    public static async Task<QueryReport> EnsureWithinAsync(this QueryCapture capture, QueryBudget? budget = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var report = await capture.AnalyzeAsync(budget, cancellationToken).ConfigureAwait(false);
        return report.EnsureWithinBudget();
    }
}
