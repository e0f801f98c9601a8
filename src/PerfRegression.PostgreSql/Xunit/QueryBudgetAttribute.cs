using PerfRegression.Session;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Checks the SQL every measured request of the test caused: no N+1 pattern, every statement's plan uses
/// indexes, and optionally at most <c>maxPerRequest</c> commands per request and a p95 per statement.
/// Findings appear in the same sectioned failure message as latency budgets and baseline verdicts.
/// </summary>
/// <example><c>[Fact, LatencyBudget(p95: 500), QueryBudget(maxPerRequest: 5)]</c></example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class QueryBudgetAttribute : PerfCheckAttribute
{
    private const int Unset = -1;

    /// <summary>Creates the budget; <paramref name="maxPerRequest"/> caps SQL commands per request (unset: no cap).</summary>
    public QueryBudgetAttribute(int maxPerRequest = Unset)
    {
        MaxPerRequest = maxPerRequest;
    }

    /// <summary>The most SQL commands one request may cause; -1 for no cap.</summary>
    public int MaxPerRequest { get; }

    /// <summary>The route the budget applies to; <see langword="null"/> (the default) for every route.</summary>
    public string? Route { get; set; }

    /// <summary>The 95th-percentile duration in milliseconds no statement may exceed; 0 (the default) for no cap.</summary>
    public double StatementP95 { get; set; }

    /// <summary>Runs of one statement within one request that make an N+1 finding. The default value is 5.</summary>
    public int RepeatThreshold { get; set; } = 5;

    /// <summary>Whether plans are checked. The default value is <see langword="true"/>.</summary>
    public bool CheckPlans { get; set; } = true;

    /// <summary>Sequential scans of tables at least this large are findings. The default value is 1,000 rows.</summary>
    public long MinSequentialScanRows { get; set; } = 1_000;

    /// <summary>Deliberate sequential scans, each <c>"table: reason"</c>, e.g. <c>"recipes: search by name, 1,000 rows"</c>.</summary>
    public string[] AllowedSequentialScans { get; set; } = [];

    /// <summary>Statements exempt from the checks, each <c>"normalised text or fingerprint: reason"</c>.</summary>
    public string[] AllowedStatements { get; set; } = [];

    /// <summary>The budget these settings describe.</summary>
    public QueryBudget Budget => new()
    {
        Route = Route,
        MaxPerRequest = MaxPerRequest == Unset ? null : MaxPerRequest,
        StatementP95Milliseconds = StatementP95 == 0 ? null : StatementP95,
        RepeatThreshold = RepeatThreshold,
        CheckPlans = CheckPlans,
        MinSequentialScanRows = MinSequentialScanRows,
        AllowedSequentialScans = ParseAllowList(AllowedSequentialScans, ":"),
        AllowedStatements = ParseAllowList(AllowedStatements, ": "),
    };

    /// <summary>The budget must be possible: a positive command cap, a positive statement p95, allow-list entries with reasons.</summary>
    protected override IReadOnlyList<string> Validate()
    {
        var problems = Budget.Validate().ToList();
        if (MaxPerRequest is 0 or < Unset)
        {
            problems.Insert(0, $"maxPerRequest is {MaxPerRequest}; give a positive number of commands, e.g. 5, or leave it out for no cap.");
        }

        return problems;
    }

    /// <summary>Starts capturing the test's SQL and adds the database checks to its session.</summary>
    protected override void Configure(PerfSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.AddCheck(new QueryBudgetCheck(QueryCapture.Start(), Budget));
    }

    private static Dictionary<string, string> ParseAllowList(string[] entries, string separator)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries ?? [])
        {
            if (entry is null)
            {
                // Reported by validation as an entry with no name, never a crash while reading the attribute.
                result[string.Empty] = string.Empty;
                continue;
            }

            var at = entry.LastIndexOf(separator, StringComparison.Ordinal);
            result[at < 0 ? entry.Trim() : entry[..at].Trim()] = at < 0 ? string.Empty : entry[(at + separator.Length)..].Trim();
        }

        return result;
    }
}
