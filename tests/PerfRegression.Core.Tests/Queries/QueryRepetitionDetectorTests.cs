using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Queries;

public sealed class QueryRepetitionDetectorTests
{
    private const string Ingredients = "SELECT r.id, r.name, r.quantity, r.unit, r.recipe_id FROM recipe_ingredients AS r WHERE r.recipe_id = ?";
    private const string List = "SELECT s.id, s.week FROM shopping_lists AS s WHERE s.user_id = ?";

    private static RequestQueries Request(string route, params (string Statement, int Times)[] statements) =>
        new(route, [.. statements.SelectMany(s => Enumerable.Repeat(new CapturedStatement(s.Statement, TimeSpan.FromMilliseconds(0.2)), s.Times))]);

    private static RequestQueries[] Requests(int count, string route, params (string Statement, int Times)[] statements) =>
        [.. Enumerable.Range(0, count).Select(_ => Request(route, statements))];

    [Fact]
    public void A_statement_run_once_per_item_is_an_N_plus_1_pattern()
    {
        var report = new QueryRepetitionDetector().Find(Requests(180, "GET /shopping", (List, 1), (Ingredients, 21)));

        var finding = report.Findings.Should().ContainSingle().Which;
        finding.ToString().Should().Be(
            "GET /shopping: \"SELECT … FROM recipe_ingredients AS r WHERE r.recipe_id = ?\" ran 21 times in one request (median 21 over 180 requests): "
            + "an N+1 pattern; load these rows in one query (JOIN or WHERE recipe_id = ANY(?)).");
        finding.Route.Should().Be("GET /shopping");
        finding.Statement.Should().Be(Ingredients);
        finding.Fingerprint.Should().Be(SqlNormalizer.Fingerprint(Ingredients));
        (finding.MaxCount, finding.MedianCount, finding.Requests, finding.RepeatingRequests, finding.Threshold).Should().Be((21, 21, 180, 180, 5));
        finding.AllowedBecause.Should().BeNull();
        report.Allowed.Should().BeEmpty();
        report.ToString().Should().Be(finding.Description);
    }

    [Fact]
    public void The_threshold_is_inclusive_and_counts_are_per_request_not_per_route()
    {
        var detector = new QueryRepetitionDetector();

        detector.Find(Requests(50, "GET /a", (List, 4))).Findings.Should().BeEmpty("4 runs in every one of 50 requests is below 5 per request");
        detector.Find(Requests(1, "GET /a", (List, 5))).Findings.Should().ContainSingle()
            .Which.ToString().Should().Be(
                "GET /a: \"SELECT s.id, s.week FROM shopping_lists AS s WHERE s.user_id = ?\" ran 5 times in one request (median 5 over 1 request): "
                + "an N+1 pattern; load these rows in one query (JOIN or WHERE user_id = ANY(?)).");
        new QueryRepetitionDetector(new QueryRepetitionOptions { RepeatThreshold = 2 }).Find(Requests(3, "GET /a", (List, 2))).Findings.Should().ContainSingle();
    }

    [Fact]
    public void The_median_counts_requests_that_did_not_run_the_statement_and_says_how_many_repeated_it()
    {
        var requests = Requests(7, "GET /plan", (List, 1))
            .Concat(Requests(2, "GET /plan", (Ingredients, 8)))
            .Append(Request("GET /plan", (Ingredients, 12), (List, 1)))
            .Append(Request("GET /plan", (Ingredients, 3)));

        var finding = new QueryRepetitionDetector().Find(requests).Findings.Should().ContainSingle().Which;

        finding.ToString().Should().Be(
            "GET /plan: \"SELECT … FROM recipe_ingredients AS r WHERE r.recipe_id = ?\" ran 12 times in one request (median 0 over 11 requests; 3 of them ran it 5 or more times): "
            + "an N+1 pattern; load these rows in one query (JOIN or WHERE recipe_id = ANY(?)).");
        (finding.MaxCount, finding.MedianCount, finding.Requests, finding.RepeatingRequests).Should().Be((12, 0, 11, 3));
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_lower_middle_value()
    {
        var requests = new[] { 5, 6, 9, 7 }.Select(n => Request("GET /a", (List, n)));

        var finding = new QueryRepetitionDetector().Find(requests).Findings.Should().ContainSingle().Which;

        (finding.MaxCount, finding.MedianCount, finding.RepeatingRequests).Should().Be((9, 6, 4));
    }

    [Fact]
    public void Each_route_and_statement_is_one_finding_and_the_worst_comes_first()
    {
        var requests = Requests(3, "GET /shopping", (Ingredients, 9), (List, 6))
            .Concat(Requests(2, "GET /recipes", (Ingredients, 30)))
            .Concat(Requests(2, "GET /about", (List, 9)));

        var findings = new QueryRepetitionDetector().Find(requests).Findings;

        findings.Select(f => (f.Route, f.Statement, f.MaxCount)).Should().Equal(
            ("GET /recipes", Ingredients, 30),
            ("GET /about", List, 9),
            ("GET /shopping", Ingredients, 9),
            ("GET /shopping", List, 6));
    }

    [Theory]
    [InlineData(
        "INSERT INTO audit (user_id, action) VALUES (?, ?)",
        "\"INSERT INTO audit (user_id, action) VALUES (?, ?)\" ran 6 times in one request (median 6 over 1 request): one INSERT per row; insert the rows in one statement (multi-row VALUES or COPY) or batch the commands.")]
    [InlineData(
        "UPDATE recipes SET rating = ? WHERE \"Id\" = ?",
        "\"UPDATE recipes SET rating = ? WHERE \"Id\" = ?\" ran 6 times in one request (median 6 over 1 request): one UPDATE per row; update the rows in one statement (WHERE \"Id\" = ANY(?)).")]
    [InlineData(
        "DELETE FROM basket WHERE item_id = ?",
        "\"DELETE FROM basket WHERE item_id = ?\" ran 6 times in one request (median 6 over 1 request): one DELETE per row; delete the rows in one statement (WHERE item_id = ANY(?)).")]
    [InlineData(
        "SELECT count(*) FROM recipes WHERE rating >= ?",
        "\"SELECT count(*) FROM recipes WHERE rating >= ?\" ran 6 times in one request (median 6 over 1 request): an N+1 pattern; load these rows in one query (a JOIN, or one WHERE … = ANY(?) for all keys).")]
    [InlineData(
        "WITH x AS (SELECT id FROM t WHERE owner = ?) SELECT * FROM x",
        "\"WITH x AS (SELECT id FROM t WHERE owner = ?) SELECT * FROM x\" ran 6 times in one request (median 6 over 1 request): an N+1 pattern; load these rows in one query (JOIN or WHERE owner = ANY(?)).")]
    [InlineData(
        "SELECT pg_advisory_xact_lock(?)",
        "\"SELECT pg_advisory_xact_lock(?)\" ran 6 times in one request (median 6 over 1 request): the same statement repeats within one request; combine the calls or cache the result.")]
    [InlineData(
        "SAVEPOINT s1",
        "\"SAVEPOINT s1\" ran 6 times in one request (median 6 over 1 request): the same statement repeats within one request; combine the calls or cache the result.")]
    public void The_advice_fits_the_statement(string statement, string expected)
    {
        var finding = new QueryRepetitionDetector().Find([Request("POST /x", (statement, 6))]).Findings.Should().ContainSingle().Which;

        finding.ToString().Should().Be("POST /x: " + expected);
    }

    [Fact]
    public void Allow_listed_statements_are_reported_apart_with_their_reason()
    {
        var options = new QueryRepetitionOptions();
        options.AllowedStatements[List] = "one lookup per household member, at most 6";
        options.AllowedStatements[SqlNormalizer.Fingerprint(Ingredients)] = "fixed in #42";

        var report = new QueryRepetitionDetector(options).Find(Requests(2, "GET /shopping", (Ingredients, 7), (List, 6), ("SELECT 1", 5)));

        report.Findings.Select(f => f.Statement).Should().Equal("SELECT 1");
        report.Allowed.Select(f => f.ToString()).Should().Equal(
            "GET /shopping: \"SELECT … FROM recipe_ingredients AS r WHERE r.recipe_id = ?\" ran 7 times in one request (median 7 over 2 requests): "
            + "an N+1 pattern; load these rows in one query (JOIN or WHERE recipe_id = ANY(?)). Allowed: fixed in #42",
            "GET /shopping: \"SELECT s.id, s.week FROM shopping_lists AS s WHERE s.user_id = ?\" ran 6 times in one request (median 6 over 2 requests): "
            + "an N+1 pattern; load these rows in one query (JOIN or WHERE user_id = ANY(?)). Allowed: one lookup per household member, at most 6");
        report.Allowed.Select(f => f.AllowedBecause).Should().Equal("fixed in #42", "one lookup per household member, at most 6");
    }

    [Fact]
    public void The_options_are_copied_when_handed_over()
    {
        var options = new QueryRepetitionOptions();
        var detector = new QueryRepetitionDetector(options);
        options.RepeatThreshold = 100;
        options.AllowedStatements[List] = "later";

        detector.Find(Requests(1, "GET /a", (List, 5))).Findings.Should().ContainSingle();
    }

    [Fact]
    public void No_requests_or_no_commands_find_nothing()
    {
        var detector = new QueryRepetitionDetector();

        detector.Find([]).Findings.Should().BeEmpty();
        detector.Find(Requests(3, "GET /health")).ToString().Should().BeEmpty();
    }

    [Fact]
    public void Every_invalid_option_is_listed_in_one_message()
    {
        var options = new QueryRepetitionOptions { RepeatThreshold = 1 };
        options.AllowedStatements[" "] = "blank";
        options.AllowedStatements[Ingredients] = " ";

        var create = () => new QueryRepetitionDetector(options);

        create.Should().Throw<PerfConfigurationException>().Which.Message.Should().Be(
            """
            QueryRepetitionOptions has 3 problems:
            - RepeatThreshold is 1; it must be at least 2, since a statement that runs once per request does not repeat. The default, 5, reports statements that run 5 or more times in one request.
            - AllowedStatements has an entry with an empty key; give the normalised statement or its 16-digit fingerprint.
            - AllowedStatements["SELECT … FROM recipe_ingredients AS r WHERE r.recipe_id = ?"] has no reason; say why it is deliberate, e.g. "one advisory lock per item, by design", so that the next reader can judge it.
            """.ReplaceLineEndings());
    }

    [Fact]
    public void Bad_input_is_refused_with_a_specific_error()
    {
        var detector = new QueryRepetitionDetector();

        detector.Invoking(d => d.Find(null!)).Should().Throw<ArgumentNullException>();
        detector.Invoking(d => d.Find([null!])).Should().Throw<ArgumentException>()
            .WithMessage("The request list contains null; pass one RequestQueries per request.*");
        FluentActions.Invoking(() => new RequestQueries(null!, [])).Should().Throw<ArgumentNullException>().WithParameterName("Route");
        FluentActions.Invoking(() => new CapturedStatement("SELECT 1", TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Duration");
    }
}
