using System.Globalization;
using System.Text.RegularExpressions;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression.PostgreSql;

/// <summary>
/// What the SQL of a load test looked like and what the checks of a <see cref="QueryBudget"/> found: per-route
/// statistics, N+1 patterns, plan findings, statement durations, the connection pool and the server's own
/// statement statistics.
/// </summary>
public sealed partial class QueryReport
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
        IReadOnlyList<string> findings,
        IReadOnlyList<string> problems)
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
        Findings = findings;
        Problems = problems;
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

    /// <summary>Everything that breaks the budget, one readable sentence each with the fix, e.g. <c>N+1: …</c>.</summary>
    public IReadOnlyList<string> Findings { get; }

    /// <summary>What kept the checks from seeing the SQL (nothing captured, nothing explained), one sentence each with the fix.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Whether the budget holds: no finding, and nothing kept the checks from seeing.</summary>
    public bool Passed => Findings.Count == 0 && Problems.Count == 0;

    /// <summary>The findings in a few words, e.g. <c>2 database findings</c>; empty when there are none.</summary>
    public string Headline => Findings.Count == 0 ? string.Empty : Formatting.Plural(Findings.Count, "database finding", "database findings");

    /// <summary>The report as a check's result: the verdict's <c>Database</c> section, one item per finding (or per route when none).</summary>
    public CheckResult ToCheckResult()
    {
        var pool = ConnectionPool;
        var exhausted = pool.Exhausted
            ? [$"The connection pool ran out during the run: up to {pool.MaxPendingRequests} requests waited for a connection, {pool.Timeouts} timed out. Latency includes that wait; raise Maximum Pool Size or shorten transactions."]
            : Array.Empty<string>();
        return new CheckResult
        {
            Title = "Database",
            Severity = Findings.Count > 0 ? CheckSeverity.Fail : exhausted.Length > 0 ? CheckSeverity.Warn : CheckSeverity.Pass,
            Headline = Findings.Count > 0 ? Headline : exhausted.Length > 0 ? "the connection pool ran out" : string.Empty,
            Problems = Problems,
            Items = Findings.Count > 0 ? Findings.Select(FindingItem).ToArray() : Routes.Select(RouteItem).ToArray(),
            Body = Body(),
            Notes = LateCommands > 0 || UnendedCommands > 0
                ? [$"{LateCommands} commands finished after their request (not attributed); {UnendedCommands} commands were never ended by Npgsql (counted, timed to their first response)."]
                : [],
            Warnings = exhausted,
            WhatToDo = Findings.Count > 0
                ? Advice()
                : exhausted.Length > 0 ? "Raise the connection pool's Maximum Pool Size, or shorten the transactions that hold connections." : null,
            Details = this,
        };
    }

    /// <summary>
    /// What to do about the findings: each allow-list is offered only for the findings it can excuse (the scan
    /// allow-list for a sequential scan, the statement allow-list for a repeated statement or another plan
    /// finding), never the scan allow-list for an N+1.
    /// </summary>
    private string Advice()
    {
        var advice = "Fix each database finding above (the advice is in its line).";
        var planFindings = Plans.SelectMany(p => p.Findings).ToArray();
        if (planFindings.Any(f => f.Kind == PlanFindingKind.SequentialScan))
        {
            advice += " If a sequential scan is deliberate (a table read whole by design), allow-list the table with the reason: [QueryBudget(AllowedSequentialScans = [\"table: why\"])].";
        }

        if (Repetitions.Findings.Count > 0 || planFindings.Any(f => f.Kind != PlanFindingKind.SequentialScan))
        {
            advice += " If a statement runs this way on purpose, allow-list it, as the report prints it, with the reason: [QueryBudget(AllowedStatements = [\"statement: why\"])].";
        }

        return advice;
    }

    /// <summary>The report as the verdict's <c>Database</c> section: its title, then lines indented by two spaces.</summary>
    public string ToText() => VerdictText.Section(ToCheckResult());

    /// <inheritdoc />
    public override string ToString() => ToText();

    private List<CheckBlock> Body()
    {
        var perRequest = Requests == 0 ? 0 : (double)Commands / Requests;
        var pool = ConnectionPool;
        var body = new List<CheckBlock>
        {
            new TextBlock(
            [
                $"{Formatting.Plural(Requests, "request", "requests")} captured{(Budget.Route is null ? string.Empty : $" on route '{Budget.Route}'")}, {Formatting.Plural(Commands, "SQL command", "SQL commands")} ({Formatting.Number(perRequest, "0.##")} per request).",
                $"Connection pool: at most {pool.MaxConnectionsInUse} connections in use{(pool.MaxPoolSize is { } max ? $" of {max}" : string.Empty)}; "
                    + (pool.Exhausted ? $"EXHAUSTED: up to {pool.MaxPendingRequests} requests waited for a connection, {pool.Timeouts} timed out." : "no request waited for a connection."),
            ]),
        };

        if (Routes.Count > 0)
        {
            body.Add(new TableBlock(
                ["route", "requests", "commands/req p50", "p95", "max", "db time/req p50", "p95", "max"],
                Routes.Select(r => (IReadOnlyList<string>)
                [
                    r.Route, Formatting.Count(r.Requests), Formatting.Count(r.CommandsPerRequestP50), Formatting.Count(r.CommandsPerRequestP95), Formatting.Count(r.CommandsPerRequestMax),
                    QueryFormatting.Milliseconds(r.DatabaseTimePerRequestP50), QueryFormatting.Milliseconds(r.DatabaseTimePerRequestP95), QueryFormatting.Milliseconds(r.DatabaseTimePerRequestMax),
                ]).ToArray()));
        }

        if (Statements.Count > 0)
        {
            body.Add(new TextBlock(["Top statements by total time"]));
            body.Add(new TableBlock(
                ["statement", "count", "total", "mean", "p95"],
                Statements.Take(5).Select(s => (IReadOnlyList<string>)
                    [SqlText.Shorten(s.Statement, 70), Formatting.Count(s.Count), QueryFormatting.Milliseconds(s.Total), QueryFormatting.Milliseconds(s.Mean), QueryFormatting.Milliseconds(s.P95)]).ToArray())
            {
                Indent = 1,
            });
        }

        var withFindings = Plans.Count(p => p.Findings.Count > 0);
        body.Add(new TextBlock([$"Plans: {Formatting.Plural(Plans.Count, "statement", "statements")} explained, {withFindings} with findings{(Unexplained.Count > 0 ? $", {Unexplained.Count} not explained" : string.Empty)}."]));
        if (Unexplained.Count > 0)
        {
            body.Add(new TextBlock(Unexplained.Select(u => "not explained: " + u).ToArray()) { Indent = 1 });
        }

        if (Findings.Count > 0)
        {
            body.Add(new TextBlock(["Findings", .. Findings.Select(f => "- " + f)]));
        }

        var allowed = Repetitions.Allowed.Select(a => a.Description).Concat(Plans.SelectMany(p => p.Allowed).Select(a => a.ToString())).Select(a => "allowed: " + a).ToArray();
        if (allowed.Length > 0)
        {
            body.Add(new TextBlock(allowed));
        }

        if (ServerStatements.Count > 0)
        {
            body.Add(new TextBlock(["The server's own statistics (pg_stat_statements, whole capture including set-up), the most server time first"]));
            body.Add(new TableBlock(
                ["statement", "calls", "total", "rows"],
                ServerStatements.Select(s => (IReadOnlyList<string>)
                    [SqlText.Shorten(Whitespace().Replace(s.Query, " "), 70), Formatting.Count(s.Calls), QueryFormatting.Milliseconds(s.TotalTime), Formatting.Count(s.Rows)]).ToArray())
            {
                Indent = 1,
            });
        }

        return body;
    }

    /// <summary>A finding as a summary row: its kind (the text before the first colon) and the rest.</summary>
    private CheckItem FindingItem(string finding)
    {
        var colon = finding.IndexOf(": ", StringComparison.Ordinal);
        return new CheckItem
        {
            Severity = CheckSeverity.Fail,
            Subject = Budget.Route ?? "(all routes)",
            Check = colon > 0 ? finding[..colon] : "database",
            Measured = colon > 0 ? finding[(colon + 2)..] : finding,
            Evidence = Formatting.Plural(Requests, "request", "requests"),
            Verdict = "finding",
        };
    }

    private CheckItem RouteItem(RouteQueryStatistics route) => new()
    {
        Severity = CheckSeverity.Pass,
        Subject = route.Route,
        Check = "SQL per request",
        Expected = Budget.MaxPerRequest is { } cap ? string.Create(CultureInfo.InvariantCulture, $"<= {cap} commands, no N+1") : "no N+1",
        Measured = $"p95 {Formatting.Plural(route.CommandsPerRequestP95, "command", "commands")}, {QueryFormatting.Milliseconds(route.DatabaseTimePerRequestP95)}",
        Evidence = Formatting.Plural(route.Requests, "request", "requests"),
        Verdict = "ok",
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
