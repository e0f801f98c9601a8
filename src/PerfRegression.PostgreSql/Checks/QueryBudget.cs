namespace PerfRegression.PostgreSql;

/// <summary>
/// What the SQL of a load test must satisfy: no N+1 pattern, plans that use indexes, and optionally a cap on
/// commands per request and on the 95th-percentile duration of individual statements. The defaults alone
/// (<c>new QueryBudget()</c>, or <c>[QueryBudget]</c>) check the first two.
/// </summary>
public sealed record QueryBudget
{
    /// <summary>The route (scenario step) the budget applies to; <see langword="null"/> for every route.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Route { get; init; }

    /// <summary>The most SQL commands any one request may cause; <see langword="null"/> for no cap.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? MaxPerRequest { get; init; }

    /// <summary>The 95th-percentile duration, in milliseconds, that no statement may exceed; <see langword="null"/> for no cap.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public double? StatementP95Milliseconds { get; init; }

    /// <summary>How many runs of the same statement within one request make an N+1 finding.</summary>
    /// <value>The default value is 5.</value>
    public int RepeatThreshold { get; init; } = 5;

    /// <summary>Whether every distinct statement is explained and its plan checked for scans an index could avoid.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CheckPlans { get; init; } = true;

    /// <summary>A sequential scan of a table with at least this many rows is a finding.</summary>
    /// <value>The default value is 1,000.</value>
    public long MinSequentialScanRows { get; init; } = 1_000;

    /// <summary>Tables whose sequential scans are deliberate, each with the reason (shown in the report).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> AllowedSequentialScans { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Statements (normalised text or fingerprint, as the report prints them) exempt from the N+1 and plan
    /// checks, each with the reason.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> AllowedStatements { get; init; } = new Dictionary<string, string>();

    /// <summary>Every problem with the budget, one sentence each with the fix; checked when it is handed over (to an analysis or an attribute).</summary>
    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxPerRequest is < 1)
        {
            problems.Add($"MaxPerRequest is {MaxPerRequest}; a request needs at least 1 command to be worth a cap. Give a positive number, e.g. 5, or leave it unset.");
        }

        if (StatementP95Milliseconds is { } p95 && (!double.IsFinite(p95) || p95 <= 0))
        {
            // An infinite cap would check nothing: refused like a negative one.
            problems.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"StatementP95Milliseconds is {p95}; give a positive number of milliseconds, e.g. 50, or leave it unset."));
        }

        if (RepeatThreshold < 2)
        {
            problems.Add($"RepeatThreshold is {RepeatThreshold}; a statement must repeat at least twice to be a pattern. Give 2 or more (the default is 5).");
        }

        if (MinSequentialScanRows < 0)
        {
            problems.Add($"MinSequentialScanRows is {MinSequentialScanRows}; give 0 (every scan) or more.");
        }

        if (AllowedSequentialScans is null || AllowedStatements is null)
        {
            problems.Add($"{(AllowedSequentialScans is null ? nameof(AllowedSequentialScans) : nameof(AllowedStatements))} is null; leave it unset for none, or give entries with their reasons.");
            return problems;
        }

        foreach (var (name, reason) in AllowedSequentialScans.Concat(AllowedStatements))
        {
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(reason))
            {
                problems.Add($"An allow-list entry '{name}' has no {(string.IsNullOrWhiteSpace(name) ? "name" : "reason")}. Give both, e.g. [\"recipes\"] = \"1,000 rows, searched by trigram\".");
            }
        }

        return problems;
    }

    internal bool Covers(string route) => Route is null || string.Equals(Route, route, StringComparison.Ordinal);
}
