using System.Globalization;
using System.Text;

namespace PerfRegression.PostgreSql;

/// <summary>
/// What the SQL of a load test looked like and what the checks of a <see cref="QueryBudget"/> found: per-route
/// statistics, N+1 patterns, plan findings, statement durations, the connection pool and the server's own
/// statement statistics.
/// </summary>
public sealed class QueryReport
{
    internal QueryReport(
        QueryBudget budget,
        int requests,
        long commands,
        IReadOnlyList<RouteQueryStatistics> routes,
        QueryRepetitionReport repetitions,
        IReadOnlyList<PlanAnalysis> plans,
        IReadOnlyList<string> unexplained,
        IReadOnlyList<StatementStatistics> statements,
        ConnectionPoolStatistics connectionPool,
        IReadOnlyList<ServerStatement> serverStatements,
        long lateCommands,
        long unendedCommands,
        IReadOnlyList<string> failures)
    {
        Budget = budget;
        Requests = requests;
        Commands = commands;
        Routes = routes;
        Repetitions = repetitions;
        Plans = plans;
        Unexplained = unexplained;
        Statements = statements;
        ConnectionPool = connectionPool;
        ServerStatements = serverStatements;
        LateCommands = lateCommands;
        UnendedCommands = unendedCommands;
        Failures = failures;
    }

    /// <summary>The budget the report was checked against.</summary>
    public QueryBudget Budget { get; }

    /// <summary>Measured requests captured (in the budget's routes).</summary>
    public int Requests { get; }

    /// <summary>SQL commands those requests caused.</summary>
    public long Commands { get; }

    /// <summary>Per route: commands and database time per request, top statements.</summary>
    public IReadOnlyList<RouteQueryStatistics> Routes { get; }

    /// <summary>N+1 patterns found (and those allow-listed).</summary>
    public QueryRepetitionReport Repetitions { get; }

    /// <summary>The plan of every distinct statement that was explained, with its findings.</summary>
    public IReadOnlyList<PlanAnalysis> Plans { get; }

    /// <summary>Statements that could not be explained, each with the reason.</summary>
    public IReadOnlyList<string> Unexplained { get; }

    /// <summary>Every distinct statement over all routes: count, total, mean and p95 duration, the most total time first.</summary>
    public IReadOnlyList<StatementStatistics> Statements { get; }

    /// <summary>Connection-pool peaks, waits and timeouts during the capture.</summary>
    public ConnectionPoolStatistics ConnectionPool { get; }

    /// <summary>The server's own top statements during the capture (from <c>pg_stat_statements</c>), when available.</summary>
    public IReadOnlyList<ServerStatement> ServerStatements { get; }

    /// <summary>Commands that finished after their request had completed (not attributed).</summary>
    public long LateCommands { get; }

    /// <summary>Commands whose trace Npgsql never ended (counted, timed up to their first response).</summary>
    public long UnendedCommands { get; }

    /// <summary>Everything that breaks the budget, one readable sentence each; empty when it holds.</summary>
    public IReadOnlyList<string> Failures { get; }

    /// <summary>Whether the budget holds.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>The failures in a few words, e.g. <c>2 database findings</c>.</summary>
    public string Headline => Failures.Count == 1 ? "1 database finding" : $"{Failures.Count} database findings";

    /// <summary>The report as the "Database" section of a verdict: lines indented by two spaces.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var perRequest = Requests == 0 ? 0 : (double)Commands / Requests;
        text.Append(CultureInfo.InvariantCulture, $"  {QueryFormatting.Plural(Requests, "request", "requests")} captured{(Budget.Route is null ? string.Empty : $" on route '{Budget.Route}'")}, {QueryFormatting.Plural(Commands, "SQL command", "SQL commands")} ({QueryFormatting.Number(perRequest, "0.##")} per request).\n");
        var pool = ConnectionPool;
        text.Append(CultureInfo.InvariantCulture, $"  Connection pool: at most {pool.MaxConnectionsInUse} connections in use{(pool.MaxPoolSize is { } max ? $" of {max}" : string.Empty)}; ")
            .Append(pool.Exhausted ? $"EXHAUSTED: up to {pool.MaxPendingRequests} requests waited for a connection, {pool.Timeouts} timed out.\n" : "no request waited for a connection.\n");

        if (Routes.Count > 0)
        {
            var table = new TextTable("route", "requests", "commands/req p50", "p95", "max", "db time/req p50", "p95", "max");
            foreach (var route in Routes)
            {
                table.Add(route.Route, QueryFormatting.Count(route.Requests), QueryFormatting.Count(route.CommandsPerRequestP50), QueryFormatting.Count(route.CommandsPerRequestP95),
                    QueryFormatting.Count(route.CommandsPerRequestMax), QueryFormatting.Milliseconds(route.DatabaseTimePerRequestP50),
                    QueryFormatting.Milliseconds(route.DatabaseTimePerRequestP95), QueryFormatting.Milliseconds(route.DatabaseTimePerRequestMax));
            }

            table.WriteTo(text);
        }

        if (Statements.Count > 0)
        {
            text.Append("  Top statements by total time\n");
            var table = new TextTable("statement", "count", "total", "mean", "p95");
            foreach (var s in Statements.Take(5))
            {
                table.Add(SqlText.Shorten(s.Statement, 70), QueryFormatting.Count(s.Count), QueryFormatting.Milliseconds(s.Total), QueryFormatting.Milliseconds(s.Mean), QueryFormatting.Milliseconds(s.P95));
            }

            table.WriteTo(text, "    ");
        }

        var explainedWithFindings = Plans.Count(p => p.Findings.Count > 0);
        text.Append(CultureInfo.InvariantCulture, $"  Plans: {QueryFormatting.Plural(Plans.Count, "statement", "statements")} explained, {explainedWithFindings} with findings{(Unexplained.Count > 0 ? $", {Unexplained.Count} not explained" : string.Empty)}.\n");
        foreach (var reason in Unexplained)
        {
            text.Append("    not explained: ").Append(reason).Append('\n');
        }

        if (Failures.Count > 0)
        {
            text.Append("  Findings\n");
            foreach (var failure in Failures)
            {
                text.Append("  - ").Append(failure).Append('\n');
            }
        }

        foreach (var allowed in Repetitions.Allowed)
        {
            text.Append("  allowed: ").Append(allowed.Description).Append('\n');
        }

        foreach (var allowed in Plans.SelectMany(p => p.Allowed))
        {
            text.Append("  allowed: ").Append(allowed).Append('\n');
        }

        if (ServerStatements.Count > 0)
        {
            text.Append("  The server's own statistics (pg_stat_statements, whole capture including set-up), the most server time first\n");
            var table = new TextTable("statement", "calls", "total", "rows");
            foreach (var s in ServerStatements)
            {
                table.Add(SqlText.Shorten(System.Text.RegularExpressions.Regex.Replace(s.Query, @"\s+", " "), 70), QueryFormatting.Count(s.Calls), QueryFormatting.Milliseconds(s.TotalTime), QueryFormatting.Count(s.Rows));
            }

            table.WriteTo(text, "    ");
        }

        if (LateCommands > 0 || UnendedCommands > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  note: {LateCommands} commands finished after their request (not attributed); {UnendedCommands} commands were never ended by Npgsql (counted, timed to their first response).\n");
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => ToText();
}
