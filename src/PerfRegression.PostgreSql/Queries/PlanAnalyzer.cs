using System.Collections.Frozen;
using System.Text.Json;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Reads a statement's <c>EXPLAIN (FORMAT JSON)</c> plan (PostgreSQL 15 and later; with or without
/// <c>ANALYZE</c>) and reports what an index could fix: sequential scans of large relations, sorts that dominate
/// the plan, and index scans whose filter discards most of the rows the index found. See
/// <see cref="PlanFindingKind"/> for the rules and <see cref="PlanAnalysisOptions"/> for their thresholds.
/// </summary>
/// <remarks>
/// Costs are the planner's estimates. A node's share of the plan is its own cost (total cost less its children's)
/// over the root's total cost; below a nested loop a node's cost is per loop, so its share is understated.
/// A sequential scan that only feeds a dominant sort is covered by the sort's finding, which names the index
/// that would avoid both.
/// </remarks>
internal sealed class PlanAnalyzer
{
    private readonly long _minSequentialScanRows;
    private readonly double _dominantCostShare;
    private readonly double _minFilteredShare;
    private readonly FrozenDictionary<string, string> _allowedScans;
    private readonly FrozenDictionary<string, string> _allowedStatements;

    /// <summary>Creates an analyzer; the options are validated and copied.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="PerfConfigurationException">The options are invalid; the message lists every problem.</exception>
    public PlanAnalyzer(PlanAnalysisOptions? options = null)
    {
        options ??= new PlanAnalysisOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new PerfConfigurationException(nameof(PlanAnalysisOptions), problems);
        }

        _minSequentialScanRows = options.MinSequentialScanRows;
        _dominantCostShare = options.DominantCostShare;
        _minFilteredShare = options.MinFilteredShare;
        _allowedScans = AllowList.Freeze(options.AllowedSequentialScans, StringComparer.OrdinalIgnoreCase);
        _allowedStatements = AllowList.Freeze(options.AllowedStatements, StringComparer.Ordinal);
    }

    /// <summary>Analyses one statement's plan.</summary>
    /// <param name="statement">The normalised statement (<see cref="SqlNormalizer.Normalize"/>) the plan belongs to.</param>
    /// <param name="explainJson">The output of <c>EXPLAIN (FORMAT JSON)</c> for it, as PostgreSQL returned it.</param>
    /// <param name="relationRows">
    /// Row counts by relation name as the plan shows it, e.g. from
    /// <c>SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'</c>; a negative count (a table never
    /// analysed) means unknown. The dictionary's own comparer is used. Without a count, a relation's size is read
    /// from <c>EXPLAIN (ANALYZE)</c> when the plan has it.
    /// </param>
    /// <returns>The findings, and the allow-listed ones apart.</returns>
    /// <exception cref="ArgumentException"><paramref name="explainJson"/> is not the JSON of a plan.</exception>
    public PlanAnalysis Analyze(string statement, string explainJson, IReadOnlyDictionary<string, long>? relationRows = null)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(explainJson);
        var root = Parse(statement, explainJson);
        string? fingerprint = null;
        var statementReason = AllowList.ReasonForStatement(_allowedStatements, statement, ref fingerprint);
        fingerprint ??= SqlNormalizer.Fingerprint(statement);

        var findings = new List<PlanFinding>();
        var allowed = new List<PlanFinding>();
        var coveredBySort = new HashSet<PlanNode>(ReferenceEqualityComparer.Instance);
        foreach (var node in root.DescendantsAndSelf())
        {
            var share = root.TotalCost > 0 ? Math.Min(1, node.SelfCost / root.TotalCost) : 0;
            var finding = node.NodeType switch
            {
                "Sort" => DominantSort(statement, node, share, coveredBySort),
                "Seq Scan" when !coveredBySort.Contains(node) => SequentialScan(statement, node, share, relationRows),
                "Bitmap Heap Scan" or "Index Scan" or "Index Only Scan" => ResidualFilter(statement, node, share),
                _ => null,
            };
            if (finding is null)
            {
                continue;
            }

            var reason = statementReason;
            if (reason is null && finding.Kind == PlanFindingKind.SequentialScan && finding.Relation is not null)
            {
                reason = _allowedScans.GetValueOrDefault(finding.Relation);
            }

            if (reason is null)
            {
                findings.Add(finding);
            }
            else
            {
                allowed.Add(finding.AllowedWith(reason));
            }
        }

        return new PlanAnalysis(statement, fingerprint, root.TotalCost, findings, allowed);
    }

    private static PlanNode Parse(string statement, string explainJson)
    {
        const string Hint = "Pass the output of EXPLAIN (FORMAT JSON) as PostgreSQL returns it: [{\"Plan\": {\"Node Type\": …}}].";
        try
        {
            using var document = JsonDocument.Parse(explainJson);
            return PlanNode.Parse(document.RootElement)
                ?? throw new ArgumentException($"The plan of \"{SqlText.Shorten(statement, 80)}\" has no \"Plan\" object. {Hint}", nameof(explainJson));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The plan of \"{SqlText.Shorten(statement, 80)}\" is not valid JSON ({e.Message}). {Hint}", nameof(explainJson), e);
        }
    }

    private PlanFinding? DominantSort(string statement, PlanNode sort, double share, HashSet<PlanNode> coveredBySort)
    {
        if (share < _dominantCostShare)
        {
            return null;
        }

        // The rows come from one relation when a chain of single-child nodes leads to its scan.
        var source = sort.Children.Count == 1 ? sort.Children[0] : null;
        while (source is { RelationName: null, Children.Count: 1 })
        {
            source = source.Children[0];
        }

        var relation = source?.RelationName;
        if (source is { NodeType: "Seq Scan", Filter: null })
        {
            coveredBySort.Add(source);
        }

        var keys = string.Join(", ", sort.SortKey.Select(Unqualified));
        var rows = (long)Math.Round(sort.ActualRows ?? sort.PlanRows);
        var detail = $"{sort.DisplayName} by ({keys}) of {QueryFormatting.Plural(rows, "row", "rows")}";
        if (relation is not null)
        {
            detail += $" from {relation}";
        }

        if (string.Equals(sort.SortSpaceType, "Disk", StringComparison.Ordinal) && sort.SortSpaceUsedKilobytes is { } kilobytes)
        {
            detail += $", spilling {QueryFormatting.Count((long)kilobytes)} kB to disk";
        }

        var fix = relation is null
            ? "add an index that returns the rows in this order, or sort fewer rows"
            : $"add an index on {relation}({keys}) so rows come out in order, or sort fewer rows";
        return new PlanFinding(PlanFindingKind.DominantSort, statement, sort.DisplayName, detail, $"sorting takes {QueryFormatting.Percent(share)} of the plan's cost", fix)
        {
            Relation = relation,
            CostShare = share,
        };
    }

    private PlanFinding? SequentialScan(string statement, PlanNode scan, double share, IReadOnlyDictionary<string, long>? relationRows)
    {
        var relation = scan.RelationName ?? scan.Alias ?? "?";
        long? size = relationRows is not null && relationRows.TryGetValue(relation, out var known) && known >= 0
            ? known
            : scan.ActualRows is { } actual
                ? (long)Math.Round((actual + (scan.RowsRemovedByFilter ?? 0)) * (scan.ParallelAware ? scan.ActualLoops ?? 1 : 1))
                : null;
        if (size is null ? scan.Filter is null || share < _dominantCostShare : size < _minSequentialScanRows)
        {
            return null;
        }

        var detail = $"{scan.DisplayName} on {relation} ({(size is { } rows ? QueryFormatting.Plural(rows, "row", "rows") : "size unknown")})";
        long? removed = scan.RowsRemovedByFilter is { } r ? (long)Math.Round(r) : null;
        string why;
        string fix;
        if (scan.Filter is null)
        {
            why = "the statement reads every row of the table";
            fix = "if it needs only some rows, add a WHERE clause an index can serve; otherwise allow-list it";
        }
        else
        {
            detail += $" filtering {scan.Filter}";
            if (removed is { } count)
            {
                detail += $", {QueryFormatting.Plural(count, "row", "rows")} removed";
                if (scan.ActualLoops is > 1 and var loops)
                {
                    detail += $" per loop over {QueryFormatting.Count((long)loops)} loops";
                }
            }

            why = size is null ? $"the statement reads the whole table, and the scan takes {QueryFormatting.Percent(share)} of the plan's cost" : "the statement reads the whole table";
            var columns = IndexColumns.From(scan.OwnNames, scan.Filter);
            fix = columns.Count > 0
                ? $"add an index on {relation}({string.Join(", ", columns)}) or allow-list it"
                : "add an index that serves the filter or allow-list it";
        }

        return new PlanFinding(PlanFindingKind.SequentialScan, statement, scan.DisplayName, detail, why, fix)
        {
            Relation = relation,
            Filter = scan.Filter,
            RelationRows = size,
            RowsRemoved = removed,
            CostShare = share,
        };
    }

    private PlanFinding? ResidualFilter(string statement, PlanNode scan, double share)
    {
        if (scan.Filter is null || share < _dominantCostShare)
        {
            return null;
        }

        double fetched;
        double removed;
        bool estimated;
        if (scan.RowsRemovedByFilter is { } actualRemoved && scan.ActualRows is { } actualRows)
        {
            (fetched, removed, estimated) = (actualRows + actualRemoved, actualRemoved, false);
        }
        else if (scan.NodeType == "Bitmap Heap Scan" && scan.Children.Count > 0)
        {
            // Without ANALYZE: the bitmap's estimated rows, less the rows estimated to pass the filter.
            fetched = scan.Children[0].PlanRows;
            (removed, estimated) = (Math.Max(0, fetched - scan.PlanRows), true);
        }
        else
        {
            return null;
        }

        if (fetched <= 0 || removed / fetched < _minFilteredShare)
        {
            return null;
        }

        var relation = scan.RelationName ?? scan.Alias ?? "?";
        var index = scan.IndexName ?? (scan.Children.Count == 1 ? scan.Children[0].IndexName : null);
        var detail = $"{scan.DisplayName} on {relation}{(index is null ? string.Empty : " using " + index)} filtering {scan.Filter}, "
            + $"{(estimated ? "an estimated " : string.Empty)}{QueryFormatting.Count((long)Math.Round(removed))} of {QueryFormatting.Plural((long)Math.Round(fetched), "row", "rows")} removed"
            + (scan.ActualLoops is > 1 ? " per loop" : string.Empty);
        var why = $"the filter discards {QueryFormatting.Percent(removed / fetched)} of the rows the index finds, and the scan takes {QueryFormatting.Percent(share)} of the plan's cost";
        var columns = IndexColumns.From(scan.OwnNames, scan.IndexCondition, scan.Filter);
        var fix = columns.Count > 0
            ? $"add an index on {relation}({string.Join(", ", columns)}) so the index finds only the rows needed"
            : "extend the index to the filter's columns so it finds only the rows needed";
        return new PlanFinding(PlanFindingKind.ResidualFilter, statement, scan.DisplayName, detail, why, fix)
        {
            Relation = relation,
            Filter = scan.Filter,
            RowsRemoved = (long)Math.Round(removed),
            CostShare = share,
        };
    }

    /// <summary>A sort key without its table qualifier: <c>r.created_at DESC</c> is <c>created_at DESC</c>; expressions are kept.</summary>
    private static string Unqualified(string key)
    {
        var dot = -1;
        foreach (var token in new SqlLexer(key))
        {
            if (token.Kind == SqlTokenKind.Whitespace)
            {
                break;
            }

            if (token.Kind == SqlTokenKind.OpenParen)
            {
                return key;
            }

            if (token.Kind == SqlTokenKind.Dot)
            {
                dot = token.Start;
            }
        }

        return dot < 0 ? key : key[(dot + 1)..];
    }
}
