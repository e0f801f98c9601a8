namespace PerfRegression.PostgreSql;

/// <summary>
/// One problem in a statement's query plan. <see cref="ToString"/> reads as one sentence: what the node does,
/// why it is costly, and how to fix it.
/// </summary>
public sealed class PlanFinding
{
    internal PlanFinding(PlanFindingKind kind, string statement, string nodeType, string detail, string why, string fix)
    {
        Kind = kind;
        Statement = statement;
        NodeType = nodeType;
        Detail = detail;
        Why = why;
        Fix = fix;
    }

    /// <summary>What is wrong.</summary>
    public PlanFindingKind Kind { get; }

    /// <summary>The normalised statement whose plan this is.</summary>
    public string Statement { get; }

    /// <summary>The plan node, as EXPLAIN names it: <c>Seq Scan</c>, <c>Sort</c>, <c>Bitmap Heap Scan</c>, …</summary>
    public string NodeType { get; }

    /// <summary>The relation the node reads; for a sort, the relation whose rows it sorts when there is exactly one; otherwise <see langword="null"/>.</summary>
    public string? Relation { get; init; }

    /// <summary>The node's <c>Filter</c> as EXPLAIN prints it; <see langword="null"/> when it has none.</summary>
    public string? Filter { get; init; }

    /// <summary>The relation's size in rows: as passed in, or read from <c>EXPLAIN (ANALYZE)</c>; <see langword="null"/> when unknown.</summary>
    public long? RelationRows { get; init; }

    /// <summary>
    /// Rows the filter removed: per loop as <c>EXPLAIN (ANALYZE)</c> reports them, or for a
    /// <see cref="PlanFindingKind.ResidualFilter"/> without ANALYZE the planner's estimate; <see langword="null"/> when not known.
    /// </summary>
    public long? RowsRemoved { get; init; }

    /// <summary>The node's own share of the plan's total cost, between 0 and 1.</summary>
    public double CostShare { get; init; }

    /// <summary>The node and what it works on, e.g. <c>Seq Scan on recipes (5,000 rows) filtering (cuisine = 'thai'::text)</c>.</summary>
    public string Detail { get; }

    /// <summary>Why it is costly, e.g. <c>the statement reads the whole table</c>.</summary>
    public string Why { get; }

    /// <summary>How to fix it, e.g. <c>add an index on recipes(cuisine) or allow-list it</c>.</summary>
    public string Fix { get; }

    /// <summary>Why the finding is deliberate, from the allow-list; <see langword="null"/> when it is to be fixed.</summary>
    public string? AllowedBecause { get; init; }

    internal PlanFinding AllowedWith(string reason) => new(Kind, Statement, NodeType, Detail, Why, Fix)
    {
        Relation = Relation,
        Filter = Filter,
        RelationRows = RelationRows,
        RowsRemoved = RowsRemoved,
        CostShare = CostShare,
        AllowedBecause = reason,
    };

    /// <summary><c>{Detail}: {Why}; {Fix}.</c>, followed by the allow-list's reason when there is one.</summary>
    public override string ToString()
    {
        var sentence = $"{Detail}: {Why}; {Fix}.";
        return AllowedBecause is null ? sentence : $"{sentence} Allowed: {AllowedBecause}";
    }
}
