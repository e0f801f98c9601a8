namespace PerfRegression.PostgreSql;

/// <summary>The database section of a test's verdict: stops the capture and checks it against the budget.</summary>
internal sealed class QueryBudgetCheck(QueryCapture capture, QueryBudget budget) : IScopeCheck
{
    public ScopeCheckResult Evaluate(IReadOnlyList<LoadReport> reports)
    {
        capture.Dispose();

        // xUnit's After is synchronous; the plans are explained on the database before the verdict is written.
        var report = capture.AnalyzeAsync(budget, TestAmbient.CancellationToken).GetAwaiter().GetResult();
        var warnings = report.ConnectionPool.Exhausted
            ? [$"The connection pool ran out during the run: up to {report.ConnectionPool.MaxPendingRequests} requests waited for a connection, {report.ConnectionPool.Timeouts} timed out. Latency includes that wait; raise Maximum Pool Size or shorten transactions."]
            : Array.Empty<string>();
        return new ScopeCheckResult(
            "Database",
            report.Passed,
            report.Headline,
            report.ToText(),
            report.Passed ? null : "Fix each database finding above (the advice is in the line), or allow-list it with its reason ([QueryBudget(AllowedSequentialScans = [\"table: why\"])]) if it is deliberate.",
            warnings,
            new Dictionary<string, string> { ["database-report.txt"] = report.ToText() });
    }
}
