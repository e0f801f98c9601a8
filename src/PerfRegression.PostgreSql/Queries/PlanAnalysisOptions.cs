namespace PerfRegression.PostgreSql;

/// <summary>
/// What makes a query plan worth a finding. Every property has a documented default, so
/// <c>new PlanAnalysisOptions()</c> is a good start; the options are validated and copied when a
/// <see cref="PlanAnalyzer"/> is created, and every problem is listed in one message.
/// </summary>
internal sealed class PlanAnalysisOptions
{
    /// <summary>
    /// The size, in rows, from which a sequential scan of a relation is a finding. Sizes come from the row counts
    /// passed to <see cref="PlanAnalyzer.Analyze"/> (e.g. <c>pg_class.reltuples</c>), or else from
    /// <c>EXPLAIN (ANALYZE)</c>'s rows read.
    /// </summary>
    /// <value>
    /// The default value is 1,000 rows: below that a table fits in a few pages and reading it whole is as cheap as
    /// an index lookup. Zero reports every sequential scan of known size.
    /// </value>
    public long MinSequentialScanRows { get; set; } = 1_000;

    /// <summary>
    /// The share of a plan's total cost from which one node dominates it: a sort, a scan whose filter discards most
    /// rows, or a filtered sequential scan of a relation whose size is unknown. A node's share is its own cost (its
    /// total cost less its children's) over the plan's total cost.
    /// </summary>
    /// <value>The default value is 0.5: the node costs at least as much as the rest of the plan together. Greater than 0, at most 1.</value>
    public double DominantCostShare { get; set; } = 0.5;

    /// <summary>
    /// The share of the rows an index finds that the scan's filter must discard for a
    /// <see cref="PlanFindingKind.ResidualFilter"/>: the index is then too coarse for the query.
    /// </summary>
    /// <value>The default value is 0.5: the filter discards at least half of the rows the index found. Greater than 0, at most 1.</value>
    public double MinFilteredShare { get; set; } = 0.5;

    /// <summary>
    /// Relations whose sequential scans are deliberate, by name as EXPLAIN shows it (<c>Relation Name</c>, without
    /// schema), each with the reason: a lookup table read whole, a report over every row. Their scans are still
    /// found, and listed apart in <see cref="PlanAnalysis.Allowed"/>.
    /// </summary>
    /// <value>The default value is empty. Names compare ignoring case.</value>
    public IDictionary<string, string> AllowedSequentialScans { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Statements whose plans are accepted as they are, by normalised text (<see cref="SqlNormalizer.Normalize"/>) or
    /// fingerprint (<see cref="SqlNormalizer.Fingerprint"/>), each with the reason. Every finding of such a
    /// statement is listed in <see cref="PlanAnalysis.Allowed"/>.
    /// </summary>
    /// <value>The default value is empty. Keys compare ordinally.</value>
    public IDictionary<string, string> AllowedStatements { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MinSequentialScanRows < 0)
        {
            problems.Add($"MinSequentialScanRows is {QueryFormatting.Count(MinSequentialScanRows)}; it must be zero (report every sequential scan) or more. The default, 1,000, reports scans of relations with 1,000 rows or more.");
        }

        if (!(DominantCostShare is > 0 and <= 1))
        {
            problems.Add($"DominantCostShare is {QueryFormatting.Number(DominantCostShare)}; it must be a fraction greater than 0 and at most 1, e.g. 0.5 for half of the plan's cost.");
        }

        if (!(MinFilteredShare is > 0 and <= 1))
        {
            problems.Add($"MinFilteredShare is {QueryFormatting.Number(MinFilteredShare)}; it must be a fraction greater than 0 and at most 1, e.g. 0.5 when the filter discards half of the rows the index found.");
        }

        AllowList.Validate(AllowedSequentialScans, nameof(AllowedSequentialScans), "the relation's name as EXPLAIN shows it, e.g. \"cuisines\"", "8 rows, read whole by design", problems);
        AllowList.Validate(AllowedStatements, nameof(AllowedStatements), "the normalised statement or its 16-digit fingerprint", "nightly report, reads every row", problems);
        return problems;
    }
}
