using System.Text.Json;

namespace PerfRegression.PostgreSql;

/// <summary>One node of an <c>EXPLAIN (FORMAT JSON)</c> plan: the fields the analysis reads, and its children.</summary>
internal sealed class PlanNode
{
    private PlanNode(JsonElement node)
    {
        NodeType = String(node, "Node Type") ?? "?";
        ParallelAware = node.TryGetProperty("Parallel Aware", out var parallel) && parallel.ValueKind == JsonValueKind.True;
        RelationName = String(node, "Relation Name");
        Alias = String(node, "Alias");
        IndexName = String(node, "Index Name");
        TotalCost = Number(node, "Total Cost") ?? 0;
        PlanRows = Number(node, "Plan Rows") ?? 0;
        Filter = String(node, "Filter");
        IndexCondition = String(node, "Index Cond") ?? String(node, "Recheck Cond");
        SortSpaceType = String(node, "Sort Space Type");
        SortSpaceUsedKilobytes = Number(node, "Sort Space Used");
        ActualRows = Number(node, "Actual Rows");
        ActualLoops = Number(node, "Actual Loops");
        RowsRemovedByFilter = Number(node, "Rows Removed by Filter");
        SortKey = node.TryGetProperty("Sort Key", out var keys) && keys.ValueKind == JsonValueKind.Array
            ? [.. keys.EnumerateArray().Select(k => k.GetString() ?? string.Empty)]
            : [];
        Children = node.TryGetProperty("Plans", out var plans) && plans.ValueKind == JsonValueKind.Array
            ? [.. plans.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object).Select(p => new PlanNode(p))]
            : [];
    }

    public string NodeType { get; }

    /// <summary>The node type as EXPLAIN's text format shows it: <c>Parallel Seq Scan</c> for a parallel-aware <c>Seq Scan</c>.</summary>
    public string DisplayName => ParallelAware ? "Parallel " + NodeType : NodeType;

    public bool ParallelAware { get; }

    public string? RelationName { get; }

    public string? Alias { get; }

    public string? IndexName { get; }

    public double TotalCost { get; }

    public double PlanRows { get; }

    public string? Filter { get; }

    /// <summary>The index condition: <c>Index Cond</c>, or a bitmap heap scan's <c>Recheck Cond</c>.</summary>
    public string? IndexCondition { get; }

    public string? SortSpaceType { get; }

    public double? SortSpaceUsedKilobytes { get; }

    /// <summary>Rows returned per loop; present only with <c>EXPLAIN (ANALYZE)</c>.</summary>
    public double? ActualRows { get; }

    public double? ActualLoops { get; }

    /// <summary>Rows the filter removed per loop; present only with <c>EXPLAIN (ANALYZE)</c>.</summary>
    public double? RowsRemovedByFilter { get; }

    public IReadOnlyList<string> SortKey { get; }

    public IReadOnlyList<PlanNode> Children { get; }

    /// <summary>The node's own cost: its total cost less its children's, never negative.</summary>
    public double SelfCost => Math.Max(0, TotalCost - Children.Sum(c => c.TotalCost));

    /// <summary>The qualifiers that mark this relation's own columns in its conditions.</summary>
    public IReadOnlyCollection<string> OwnNames => [.. new[] { Alias, RelationName }.OfType<string>()];

    /// <summary>Reads the plan of <c>EXPLAIN (FORMAT JSON)</c>: an array holding one object with a <c>Plan</c>, or that object itself.</summary>
    /// <returns>The root node, or <see langword="null"/> when the document holds no plan.</returns>
    public static PlanNode? Parse(JsonElement document)
    {
        var top = document.ValueKind == JsonValueKind.Array && document.GetArrayLength() > 0 ? document[0] : document;
        return top.ValueKind == JsonValueKind.Object && top.TryGetProperty("Plan", out var plan) && plan.ValueKind == JsonValueKind.Object
            ? new PlanNode(plan)
            : null;
    }

    /// <summary>This node and every node below it, parents before children.</summary>
    public IEnumerable<PlanNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var node in child.DescendantsAndSelf())
            {
                yield return node;
            }
        }
    }

    private static string? String(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
