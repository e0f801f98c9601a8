using System.Runtime.CompilerServices;
using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Queries;

/// <summary>The findings on real PostgreSQL 15 plans (see Plans/README.md for how each was captured), verbatim.</summary>
public sealed class PlanAnalyzerTests
{
    private static readonly Dictionary<string, long> Rows = new(StringComparer.Ordinal)
    {
        ["cuisines"] = 8,
        ["recipes"] = 5_000,
        ["recipe_ingredients"] = 40_000,
    };

    private static string Plan(string name, [CallerFilePath] string file = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(file)!, "Plans", name + ".json"));

    private static PlanAnalysis Analyze(string name, string statement = "SELECT ?", IReadOnlyDictionary<string, long>? rows = null, PlanAnalysisOptions? options = null) =>
        new PlanAnalyzer(options).Analyze(statement, Plan(name), rows ?? Rows);

    private static string[] Findings(string name, IReadOnlyDictionary<string, long>? rows = null, PlanAnalysisOptions? options = null) =>
        [.. Analyze(name, rows: rows, options: options).Findings.Select(f => f.ToString())];

    [Theory]
    [InlineData("index_scan")]
    [InlineData("nested_loop_index")]
    [InlineData("seq_scan_tiny")]
    public void Plans_that_use_an_index_or_read_a_tiny_table_have_no_finding(string plan)
    {
        var analysis = Analyze(plan);

        analysis.Findings.Should().BeEmpty();
        analysis.Allowed.Should().BeEmpty();
        analysis.ToString().Should().BeEmpty();
    }

    [Fact]
    public void A_filtered_seq_scan_of_a_large_table_names_the_index_that_would_avoid_it()
    {
        const string Statement = "SELECT id, name FROM recipes WHERE cuisine = ?";
        var analysis = Analyze("seq_scan_filter", Statement);

        var finding = analysis.Findings.Should().ContainSingle().Which;
        finding.ToString().Should().Be(
            "Seq Scan on recipes (5,000 rows) filtering (cuisine = 'thai'::text): the statement reads the whole table; add an index on recipes(cuisine) or allow-list it.");
        finding.Kind.Should().Be(PlanFindingKind.SequentialScan);
        finding.Statement.Should().Be(Statement);
        finding.NodeType.Should().Be("Seq Scan");
        finding.Relation.Should().Be("recipes");
        finding.Filter.Should().Be("(cuisine = 'thai'::text)");
        finding.RelationRows.Should().Be(5_000);
        finding.RowsRemoved.Should().BeNull();
        finding.CostShare.Should().Be(1);
        finding.AllowedBecause.Should().BeNull();
        analysis.Statement.Should().Be(Statement);
        analysis.Fingerprint.Should().Be(SqlNormalizer.Fingerprint(Statement));
        analysis.TotalCost.Should().Be(109.5);
        analysis.ToString().Should().Be(finding.ToString());
    }

    [Fact]
    public void With_ANALYZE_the_rows_removed_are_reported_and_the_size_is_read_from_the_plan()
    {
        var finding = Analyze("seq_scan_filter_analyze", rows: new Dictionary<string, long>()).Findings.Should().ContainSingle().Which;

        finding.ToString().Should().Be(
            "Seq Scan on recipes (5,000 rows) filtering ((rating >= 4) AND (cuisine = 'thai'::text)), 4,750 rows removed: "
            + "the statement reads the whole table; add an index on recipes(cuisine, rating) or allow-list it.");
        (finding.RelationRows, finding.RowsRemoved).Should().Be((5_000L, 4_750L));
    }

    [Fact]
    public void A_parallel_seq_scan_counts_the_rows_of_every_worker()
    {
        Findings("parallel_seq_scan_analyze", rows: new Dictionary<string, long>()).Should().Equal(
            "Parallel Seq Scan on recipe_ingredients (40,002 rows) filtering (name = 'ingredient 7'::text), 13,289 rows removed per loop over 3 loops: "
            + "the statement reads the whole table; add an index on recipe_ingredients(name) or allow-list it.");
    }

    [Fact]
    public void A_generic_plan_suggests_an_expression_index_with_equality_columns_first()
    {
        Findings("generic_plan").Should().Equal(
            "Seq Scan on recipes (5,000 rows) filtering ((rating > $2) AND (lower(cuisine) = $1)): "
            + "the statement reads the whole table; add an index on recipes(lower(cuisine), rating) or allow-list it.");
    }

    [Fact]
    public void Without_a_size_a_filtered_seq_scan_is_judged_by_its_share_of_the_cost()
    {
        var unknown = new Dictionary<string, long> { ["recipes"] = -1 };

        Findings("seq_scan_filter", rows: unknown).Should().Equal(
            "Seq Scan on recipes (size unknown) filtering (cuisine = 'thai'::text): the statement reads the whole table, and the scan takes 100% of the plan's cost; "
            + "add an index on recipes(cuisine) or allow-list it.");
        Findings("seq_scan_tiny", rows: unknown).Should().ContainSingle().Which.Should().StartWith("Seq Scan on cuisines (size unknown) filtering (name = 'thai'::text)");
        new PlanAnalyzer().Analyze("SELECT ?", Plan("seq_scan_filter")).Findings.Should().ContainSingle().Which.RelationRows.Should().BeNull();
        Findings("hash_join", rows: new Dictionary<string, long>()).Should().Equal(
            "Seq Scan on recipe_ingredients (size unknown) filtering (unit = 'g'::text): the statement reads the whole table, and the scan takes 64% of the plan's cost; "
            + "add an index on recipe_ingredients(unit) or allow-list it.");
    }

    [Fact]
    public void Every_large_seq_scan_of_a_join_is_a_finding_and_small_ones_are_not()
    {
        Findings("hash_join").Should().Equal(
            "Seq Scan on recipe_ingredients (40,000 rows) filtering (unit = 'g'::text): the statement reads the whole table; add an index on recipe_ingredients(unit) or allow-list it.",
            "Seq Scan on recipes (5,000 rows): the statement reads every row of the table; if it needs only some rows, add a WHERE clause an index can serve; otherwise allow-list it.");
    }

    [Fact]
    public void The_size_threshold_is_inclusive_and_zero_reports_every_seq_scan()
    {
        Findings("seq_scan_filter", options: new PlanAnalysisOptions { MinSequentialScanRows = 5_000 }).Should().ContainSingle();
        Findings("seq_scan_filter", options: new PlanAnalysisOptions { MinSequentialScanRows = 5_001 }).Should().BeEmpty();
        Findings("seq_scan_tiny", options: new PlanAnalysisOptions { MinSequentialScanRows = 0 }).Should().Equal(
            "Seq Scan on cuisines (8 rows) filtering (name = 'thai'::text): the statement reads the whole table; add an index on cuisines(name) or allow-list it.");
    }

    [Fact]
    public void A_sort_that_dominates_the_plan_covers_the_seq_scan_that_feeds_it()
    {
        var finding = Analyze("sort_dominated").Findings.Should().ContainSingle().Which;

        finding.ToString().Should().Be(
            "Sort by (quantity DESC, name) of 40,000 rows from recipe_ingredients: sorting takes 82% of the plan's cost; "
            + "add an index on recipe_ingredients(quantity DESC, name) so rows come out in order, or sort fewer rows.");
        finding.Kind.Should().Be(PlanFindingKind.DominantSort);
        finding.Relation.Should().Be("recipe_ingredients");
        finding.CostShare.Should().BeApproximately((3868.54 - 711) / 3868.54, 1e-9);
    }

    [Fact]
    public void A_sort_that_spills_to_disk_says_so()
    {
        Findings("sort_spill_analyze").Should().Equal(
            "Sort by (quantity DESC, name) of 40,000 rows from recipe_ingredients, spilling 1,576 kB to disk: sorting takes 88% of the plan's cost; "
            + "add an index on recipe_ingredients(quantity DESC, name) so rows come out in order, or sort fewer rows.");
    }

    [Fact]
    public void A_top_N_sort_under_a_limit_is_measured_against_the_limit()
    {
        Findings("top_n_sort").Should().Equal(
            "Sort by (created_at DESC) of 5,000 rows from recipes: sorting takes 63% of the plan's cost; "
            + "add an index on recipes(created_at DESC) so rows come out in order, or sort fewer rows.");
    }

    [Fact]
    public void A_sort_key_loses_its_qualifier_even_when_quoted_names_hold_spaces_or_dots()
    {
        var plan = Plan("sort_dominated").Replace("\"quantity DESC\", \"name\"", "\"\\\"Recipe Ingredients\\\".quantity DESC\", \"ri.\\\"Name.x\\\"\", \"lower((ri.unit)::text)\"", StringComparison.Ordinal);

        var finding = new PlanAnalyzer().Analyze("SELECT ?", plan, Rows).Findings.Should().ContainSingle().Which;

        finding.ToString().Should().StartWith("Sort by (quantity DESC, \"Name.x\", lower((ri.unit)::text)) of 40,000 rows");
    }

    [Fact]
    public void A_sort_over_a_join_cannot_name_one_table_and_leaves_the_scans_as_findings()
    {
        Findings("sort_over_join").Should().Equal(
            "Sort by (quantity DESC) of 40,000 rows: sorting takes 76% of the plan's cost; add an index that returns the rows in this order, or sort fewer rows.",
            "Seq Scan on recipe_ingredients (40,000 rows): the statement reads every row of the table; if it needs only some rows, add a WHERE clause an index can serve; otherwise allow-list it.",
            "Seq Scan on recipes (5,000 rows): the statement reads every row of the table; if it needs only some rows, add a WHERE clause an index can serve; otherwise allow-list it.");
    }

    [Fact]
    public void A_sort_below_the_dominance_threshold_is_no_finding()
    {
        Findings("top_n_sort", options: new PlanAnalysisOptions { DominantCostShare = 0.64 }).Should().Equal(
            "Seq Scan on recipes (5,000 rows): the statement reads every row of the table; if it needs only some rows, add a WHERE clause an index can serve; otherwise allow-list it.");
    }

    [Fact]
    public void A_bitmap_scan_whose_filter_discards_most_rows_suggests_a_composite_index()
    {
        var finding = Analyze("bitmap_heap_scan_filter").Findings.Should().ContainSingle().Which;

        finding.ToString().Should().Be(
            "Bitmap Heap Scan on recipes using recipes_author_id_idx filtering (rating = 5), an estimated 60 of 75 rows removed: "
            + "the filter discards 80% of the rows the index finds, and the scan takes 79% of the plan's cost; "
            + "add an index on recipes(author_id, rating) so the index finds only the rows needed.");
        finding.Kind.Should().Be(PlanFindingKind.ResidualFilter);
        (finding.Relation, finding.Filter, finding.RowsRemoved, finding.RelationRows).Should().Be(("recipes", "(rating = 5)", 60L, (long?)null));
    }

    [Fact]
    public void With_ANALYZE_a_bitmap_scan_reports_the_rows_actually_removed()
    {
        Findings("bitmap_heap_scan_filter_analyze").Should().Equal(
            "Bitmap Heap Scan on recipes using recipes_author_id_idx filtering (rating = 5), 50 of 75 rows removed: "
            + "the filter discards 67% of the rows the index finds, and the scan takes 79% of the plan's cost; "
            + "add an index on recipes(author_id, rating) so the index finds only the rows needed.");
        Findings("bitmap_heap_scan_filter_analyze", options: new PlanAnalysisOptions { MinFilteredShare = 0.7 }).Should().BeEmpty();
    }

    [Fact]
    public void Allow_listed_relations_and_statements_are_reported_apart_with_their_reason()
    {
        const string Statement = "SELECT c.name, count(*) FROM recipes r JOIN cuisines c ON c.name = r.cuisine JOIN recipe_ingredients i ON i.recipe_id = r.id WHERE i.unit = ? GROUP BY c.name";
        var byRelation = new PlanAnalysisOptions();
        byRelation.AllowedSequentialScans["Recipes"] = "joined whole to count per cuisine";

        var analysis = new PlanAnalyzer(byRelation).Analyze(Statement, Plan("hash_join"), Rows);

        analysis.Findings.Select(f => f.Relation).Should().Equal("recipe_ingredients");
        analysis.Allowed.Should().ContainSingle().Which.ToString().Should().Be(
            "Seq Scan on recipes (5,000 rows): the statement reads every row of the table; if it needs only some rows, add a WHERE clause an index can serve; otherwise allow-list it. "
            + "Allowed: joined whole to count per cuisine");
        analysis.Allowed[0].AllowedBecause.Should().Be("joined whole to count per cuisine");

        var byFingerprint = new PlanAnalysisOptions();
        byFingerprint.AllowedStatements[SqlNormalizer.Fingerprint(Statement)] = "nightly report";
        var allowed = new PlanAnalyzer(byFingerprint).Analyze(Statement, Plan("hash_join"), Rows);
        allowed.Findings.Should().BeEmpty();
        allowed.Allowed.Select(f => (f.Relation, f.AllowedBecause)).Should().Equal(("recipe_ingredients", "nightly report"), ("recipes", "nightly report"));

        var byText = new PlanAnalysisOptions();
        byText.AllowedStatements["SELECT ?"] = "sorted on purpose";
        Analyze("sort_dominated", options: byText).Allowed.Should().ContainSingle().Which.Kind.Should().Be(PlanFindingKind.DominantSort);
    }

    [Fact]
    public void A_relation_allow_list_does_not_hide_other_kinds_of_finding()
    {
        var options = new PlanAnalysisOptions();
        options.AllowedSequentialScans["recipes"] = "small enough";

        Analyze("bitmap_heap_scan_filter", options: options).Findings.Should().ContainSingle().Which.Kind.Should().Be(PlanFindingKind.ResidualFilter);
    }

    [Fact]
    public void The_options_are_copied_when_handed_over()
    {
        var options = new PlanAnalysisOptions();
        var analyzer = new PlanAnalyzer(options);
        options.MinSequentialScanRows = 1_000_000;
        options.AllowedSequentialScans["recipes"] = "later";

        analyzer.Analyze("SELECT ?", Plan("seq_scan_filter"), Rows).Findings.Should().ContainSingle();
    }

    [Fact]
    public void Every_invalid_option_is_listed_in_one_message()
    {
        var options = new PlanAnalysisOptions { MinSequentialScanRows = -1, DominantCostShare = 0, MinFilteredShare = double.NaN };
        options.AllowedSequentialScans["cuisines"] = "";
        options.AllowedStatements[""] = "why";

        var create = () => new PlanAnalyzer(options);

        create.Should().Throw<PerfConfigurationException>().Which.Message.Should().Be(
            """
            PlanAnalysisOptions has 5 problems:
            - MinSequentialScanRows is -1; it must be zero (report every sequential scan) or more. The default, 1,000, reports scans of relations with 1,000 rows or more.
            - DominantCostShare is 0; it must be a fraction greater than 0 and at most 1, e.g. 0.5 for half of the plan's cost.
            - MinFilteredShare is NaN; it must be a fraction greater than 0 and at most 1, e.g. 0.5 when the filter discards half of the rows the index found.
            - AllowedSequentialScans["cuisines"] has no reason; say why it is deliberate, e.g. "8 rows, read whole by design", so that the next reader can judge it.
            - AllowedStatements has an entry with an empty key; give the normalised statement or its 16-digit fingerprint.
            """.ReplaceLineEndings());
        FluentActions.Invoking(() => new PlanAnalyzer(new PlanAnalysisOptions { DominantCostShare = 1.5 })).Should().Throw<PerfConfigurationException>()
            .Which.Problems.Should().Equal("DominantCostShare is 1.5; it must be a fraction greater than 0 and at most 1, e.g. 0.5 for half of the plan's cost.");
    }

    [Theory]
    [InlineData("", "is not valid JSON (")]
    [InlineData("[{\"Plan\": ", "is not valid JSON (")]
    [InlineData("[]", "has no \"Plan\" object.")]
    [InlineData("[{\"Planning Time\": 0.1}]", "has no \"Plan\" object.")]
    [InlineData("{\"Plan\": 3}", "has no \"Plan\" object.")]
    public void Input_that_is_not_a_plan_is_refused_with_what_to_pass(string json, string problem)
    {
        var analyze = () => new PlanAnalyzer().Analyze("SELECT a FROM t", json);

        var error = analyze.Should().Throw<ArgumentException>().Which;
        error.ParamName.Should().Be("explainJson");
        error.Message.Should().StartWith("The plan of \"SELECT a FROM t\" " + problem)
            .And.Contain("Pass the output of EXPLAIN (FORMAT JSON) as PostgreSQL returns it: [{\"Plan\": {\"Node Type\": …}}].");
    }

    [Fact]
    public void A_bare_plan_object_and_missing_fields_are_read()
    {
        var plan = """{"Plan": {"Node Type": "Seq Scan", "Relation Name": "recipes", "Total Cost": 0, "Plans": [1, {"Node Type": "Result"}]}}""";

        new PlanAnalyzer().Analyze("SELECT ?", plan, Rows).Findings.Should().ContainSingle()
            .Which.ToString().Should().Be("Seq Scan on recipes (5,000 rows): the statement reads every row of the table; if it needs only some rows, add a WHERE clause an index can serve; otherwise allow-list it.");
        FluentActions.Invoking(() => new PlanAnalyzer().Analyze(null!, plan)).Should().Throw<ArgumentNullException>().WithParameterName("statement");
        FluentActions.Invoking(() => new PlanAnalyzer().Analyze("SELECT ?", null!)).Should().Throw<ArgumentNullException>().WithParameterName("explainJson");
    }
}
