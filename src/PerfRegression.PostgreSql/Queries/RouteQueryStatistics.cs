using PerfRegression.Checks;

namespace PerfRegression.PostgreSql;

/// <summary>
/// The database work of one route's requests: commands and database time per request, and the statements that
/// took the most time. Percentiles are by nearest rank over the requests (or, for a statement, over its
/// executions), so each one is an observed value; the median of an even count is the lower middle value.
/// </summary>
public sealed class RouteQueryStatistics
{
    internal RouteQueryStatistics(
        string route,
        int requests,
        long commands,
        TimeSpan databaseTime,
        int distinctStatements,
        (int P50, int P95, int Max) commandsPerRequest,
        (TimeSpan P50, TimeSpan P95, TimeSpan Max) databaseTimePerRequest,
        IReadOnlyList<StatementStatistics> topStatements)
    {
        Route = route;
        Requests = requests;
        Commands = commands;
        DatabaseTime = databaseTime;
        DistinctStatements = distinctStatements;
        (CommandsPerRequestP50, CommandsPerRequestP95, CommandsPerRequestMax) = commandsPerRequest;
        (DatabaseTimePerRequestP50, DatabaseTimePerRequestP95, DatabaseTimePerRequestMax) = databaseTimePerRequest;
        TopStatements = topStatements;
    }

    /// <summary>The route.</summary>
    public string Route { get; }

    /// <summary>How many requests were recorded, those without commands included.</summary>
    public int Requests { get; }

    /// <summary>How many commands they sent in all.</summary>
    public long Commands { get; }

    /// <summary>The sum of all their commands' durations.</summary>
    public TimeSpan DatabaseTime { get; }

    /// <summary>How many different normalised statements they ran.</summary>
    public int DistinctStatements { get; }

    /// <summary>Median commands per request.</summary>
    public int CommandsPerRequestP50 { get; }

    /// <summary>95th-percentile commands per request.</summary>
    public int CommandsPerRequestP95 { get; }

    /// <summary>The most commands one request sent.</summary>
    public int CommandsPerRequestMax { get; }

    /// <summary>Median database time per request: the sum of one request's command durations.</summary>
    public TimeSpan DatabaseTimePerRequestP50 { get; }

    /// <summary>95th-percentile database time per request.</summary>
    public TimeSpan DatabaseTimePerRequestP95 { get; }

    /// <summary>The most database time one request took.</summary>
    public TimeSpan DatabaseTimePerRequestMax { get; }

    /// <summary>The statements that took the most time in all, the largest total first (ties: more executions, then by text).</summary>
    public IReadOnlyList<StatementStatistics> TopStatements { get; }

    /// <summary>
    /// The top statements as a plain-text table, one line each, lines ending in <c>\n</c>, e.g.
    /// <code>
    ///   statement                                             count  per request     total     mean       p95
    ///   SELECT … FROM recipe_ingredients WHERE recipe_id = ?  3,780           21  412.5 ms  0.109 ms  0.2 ms
    /// </code>
    /// </summary>
    /// <param name="statementWidth">The widest a statement may be; longer ones are shortened (the <c>SELECT</c> list first). At least 20.</param>
    /// <returns>The table; only its header when the route ran no statement.</returns>
    public string FormatTopStatements(int statementWidth = 60)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statementWidth, 20);
        return VerdictText.Render(new TableBlock(
            ["statement", "count", "per request", "total", "mean", "p95"],
            TopStatements.Select(s => (IReadOnlyList<string>)
            [
                SqlText.Shorten(s.Statement, statementWidth),
                QueryFormatting.Count(s.Count),
                QueryFormatting.Number(s.PerRequest, "#,0.##"),
                QueryFormatting.Milliseconds(s.Total),
                QueryFormatting.Milliseconds(s.Mean),
                QueryFormatting.Milliseconds(s.P95),
            ]).ToArray()));
    }

    /// <summary>
    /// One line, e.g. <c>GET /shopping: 180 requests; commands per request p50 22, p95 23, max 23; database time per
    /// request p50 4.1 ms, p95 7.9 ms, max 9.2 ms</c>.
    /// </summary>
    public override string ToString() =>
        $"{Route}: {QueryFormatting.Plural(Requests, "request", "requests")}; "
        + $"commands per request p50 {QueryFormatting.Count(CommandsPerRequestP50)}, p95 {QueryFormatting.Count(CommandsPerRequestP95)}, max {QueryFormatting.Count(CommandsPerRequestMax)}; "
        + $"database time per request p50 {QueryFormatting.Milliseconds(DatabaseTimePerRequestP50)}, p95 {QueryFormatting.Milliseconds(DatabaseTimePerRequestP95)}, max {QueryFormatting.Milliseconds(DatabaseTimePerRequestMax)}";
}
