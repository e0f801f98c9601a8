using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using PerfRegression.Text;

namespace PerfRegression.PostgreSql;

/// <summary>Turns a capture into a <see cref="QueryReport"/> checked against a <see cref="QueryBudget"/>.</summary>
internal static class QueryAnalysis
{
    private static readonly ConcurrentDictionary<string, string> Normalized = new(StringComparer.Ordinal);

    public static async Task<QueryReport> AnalyzeAsync(QueryCapture capture, QueryBudget budget, CancellationToken cancellationToken)
    {
        var requests = (await capture.GetRequestsAsync(cancellationToken).ConfigureAwait(false)).Where(r => budget.Covers(r.Route)).ToArray();
        var findings = new List<string>();
        var problems = new List<string>();
        var shaped = requests.Select(r => new RequestQueries(r.Route, r.Commands.Select(c => new CapturedStatement(Normalize(c.Text), c.Duration)).ToArray())).ToArray();
        var routes = QueryStatistics.Compute(shaped, topStatements: 5);
        var commands = requests.Sum(r => (long)r.Commands.Count);
        if (requests.Length == 0)
        {
            problems.Add(budget.Route is null
                ? "No measured request was captured, so nothing could be checked. Run the load in the test body with an in-process target (LoadTarget.InMemory or Kestrel); an external target's SQL is not visible."
                : $"No measured request of route '{budget.Route}' was captured. Check the route name against the scenario's step names.");
        }
        else if (commands == 0)
        {
            problems.Add($"{QueryFormatting.Plural(requests.Length, "request", "requests")} caused no SQL command that Npgsql traced, so the database checks saw nothing. Check that the app uses Npgsql (directly or through EF Core) and that the requests reach the database.");
        }

        var repetitionOptions = new QueryRepetitionOptions { RepeatThreshold = budget.RepeatThreshold };
        foreach (var (statement, reason) in budget.AllowedStatements)
        {
            repetitionOptions.AllowedStatements[statement] = reason;
        }

        var repetitions = new QueryRepetitionDetector(repetitionOptions).Find(shaped);
        findings.AddRange(repetitions.Findings.Select(f => "N+1: " + f.Description));

        if (budget.MaxPerRequest is { } cap)
        {
            foreach (var route in routes.Where(r => r.CommandsPerRequestMax > cap))
            {
                findings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Commands per request: {route.Route} ran up to {route.CommandsPerRequestMax} SQL commands in one request (p50 {route.CommandsPerRequestP50}), over the budget of {cap}. Load what the request needs in fewer queries (joins, WHERE … = ANY(…)), or raise MaxPerRequest if the work is intended."));
            }
        }

        // Every statement over all routes: the per-route statistics, computed as one route.
        var statements = QueryStatistics.Compute(shaped.Select(r => r with { Route = string.Empty }), topStatements: int.MaxValue)
            .SingleOrDefault()?.TopStatements ?? [];
        if (budget.StatementP95Milliseconds is { } p95Budget)
        {
            foreach (var statement in statements.Where(s => s.P95.TotalMilliseconds > p95Budget))
            {
                findings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Statement p95: \"{SqlText.Shorten(statement.Statement, 100)}\" took {QueryFormatting.Milliseconds(statement.P95)} at the 95th percentile over {QueryFormatting.Count(statement.Count)} runs, over the budget of {QueryFormatting.Number(p95Budget)} ms. Explain it and add the index it needs, or fetch less."));
            }
        }

        var plans = new List<PlanAnalysis>();
        var unexplained = new List<string>();
        if (budget.CheckPlans && commands > 0)
        {
            var dropped = await ExplainAsync(requests, budget, plans, unexplained, cancellationToken).ConfigureAwait(false);
            findings.AddRange(plans.SelectMany(p => p.Findings).Select(f => "Plan: " + f));
            if (dropped.Count > 0)
            {
                problems.Add($"The database {string.Join(", ", dropped.Order(StringComparer.Ordinal).Select(d => $"'{d}'"))} was dropped before its statements could be explained: "
                    + "[QueryBudget] checks plans after the test body, and the body disposed the database (await using inside the test). "
                    + "Keep the database alive until the test ends: create it in the test class (constructor and DisposeAsync, or a fixture) instead of the body, or set CheckPlans = false.");
            }
            else if (plans.Count == 0 && unexplained.Count > 0)
            {
                problems.Add("No statement could be explained, so index use is unchecked (see 'not explained'). Start the database with PostgresServer or PostgresFixture, or set CheckPlans = false.");
            }
        }

        IReadOnlyList<ServerStatement> server = [];
        var databases = requests.SelectMany(r => r.Commands).Select(c => c.Database).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        foreach (var snapshot in capture.ServerSnapshots)
        {
            try
            {
                server = [.. server, .. await snapshot.TopAsync(databases, 5, cancellationToken).ConfigureAwait(false)];
            }
            catch (NpgsqlException)
            {
                // The server's own statistics are a bonus; the report leaves them out.
            }
        }

        return new QueryReport(budget, requests.Length, commands, routes, repetitions, plans, unexplained, statements, capture.ConnectionPool, server,
            capture.LateCommands, capture.UnendedCommands, findings, problems);
    }

    internal static string Normalize(string sql) => Normalized.Count < 10_000 ? Normalized.GetOrAdd(sql, SqlNormalizer.Normalize) : SqlNormalizer.Normalize(sql);

    /// <returns>The databases the statements ran on that were dropped before they could be explained.</returns>
    private static async Task<HashSet<string>> ExplainAsync(CapturedRequest[] requests, QueryBudget budget, List<PlanAnalysis> plans, List<string> unexplained, CancellationToken cancellationToken)
    {
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        var analysisOptions = new PlanAnalysisOptions { MinSequentialScanRows = budget.MinSequentialScanRows };
        foreach (var (table, reason) in budget.AllowedSequentialScans)
        {
            analysisOptions.AllowedSequentialScans[table] = reason;
        }

        foreach (var (statement, reason) in budget.AllowedStatements)
        {
            analysisOptions.AllowedStatements[statement] = reason;
        }

        var analyzer = new PlanAnalyzer(analysisOptions);
        var tableRows = new Dictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);

        // One example per distinct statement; an execution that carried parameter values is preferred.
        var examples = requests.SelectMany(r => r.Commands)
            .GroupBy(c => Normalize(c.Text), StringComparer.Ordinal)
            .Select(g => (Statement: g.Key, Example: g.FirstOrDefault(c => c.Parameters is not null) ?? g.First()));
        foreach (var (statement, example) in examples)
        {
            if (!IsExplainable(example.Text))
            {
                continue;
            }

            if (PostgresServer.Find(example.Server) is not { } server || example.Database is null)
            {
                unexplained.Add($"\"{SqlText.Shorten(statement, 80)}\": its server {example.Server ?? "(unknown)"} was not started or named by this process, so there is no connection to explain it on.");
                continue;
            }

            if (server.WasDropped(example.Database))
            {
                dropped.Add(example.Database);
                unexplained.Add($"\"{SqlText.Shorten(statement, 80)}\": its database {example.Database} was dropped before the checks ran.");
                continue;
            }

            var connectionString = server.GetConnectionString(example.Database);
            try
            {
                if (!tableRows.TryGetValue(connectionString, out var rows))
                {
                    rows = await PlanInspector.TableRowsAsync(connectionString, cancellationToken).ConfigureAwait(false);
                    tableRows[connectionString] = rows;
                }

                var (plan, _) = await PlanInspector.ExplainAsync(connectionString, example.Text, example.Parameters, cancellationToken).ConfigureAwait(false);
                plans.Add(analyzer.Analyze(statement, plan, rows));
            }
            catch (Exception ex) when (ex is NpgsqlException or ArgumentException or InvalidOperationException)
            {
                unexplained.Add($"\"{SqlText.Shorten(statement, 80)}\": {ex.Message}");
            }
        }

        return dropped;
    }

    /// <summary>
    /// Statements whose plan can scan a table: queries, updates, deletes and INSERT … SELECT. Not transaction
    /// control or settings, and not INSERT … VALUES, whose plan is a single insert with nothing to read.
    /// </summary>
    private static bool IsExplainable(string sql)
    {
        var normalized = Normalize(sql);
        return SqlText.Verb(normalized) switch
        {
            "SELECT" or "UPDATE" or "DELETE" => true,
            "INSERT" => normalized.Contains(" SELECT ", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }
}
