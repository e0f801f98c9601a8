using PerfRegression.PostgreSql;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Queries;

public sealed class QueryStatisticsTests
{
    private const string Ingredients = "SELECT r.id, r.name, r.quantity, r.unit, r.recipe_id FROM recipe_ingredients AS r WHERE r.recipe_id = ?";
    private const string List = "SELECT s.id, s.week FROM shopping_lists AS s WHERE s.user_id = ?";

    private static CapturedStatement Ran(string statement, double milliseconds) => new(statement, TimeSpan.FromMilliseconds(milliseconds));

    private static RequestQueries[] Shopping() =>
    [
        new("GET /shopping", [Ran(List, 1), Ran(Ingredients, 0.2), Ran(Ingredients, 0.3), Ran(Ingredients, 0.4)]),
        new("GET /shopping", [Ran(List, 2), .. Enumerable.Repeat(Ran(Ingredients, 0.1), 5)]),
        new("GET /shopping", []),
        new("GET /shopping", [Ran(List, 1.5), Ran(Ingredients, 5)]),
        new("GET /health", []),
        new("GET /health", []),
    ];

    [Fact]
    public void Commands_and_database_time_per_request_are_nearest_rank_percentiles_over_every_request()
    {
        var routes = QueryStatistics.Compute(Shopping());

        routes.Select(r => r.Route).Should().Equal("GET /health", "GET /shopping");
        var shopping = routes[1];
        (shopping.Requests, shopping.Commands, shopping.DatabaseTime, shopping.DistinctStatements).Should().Be((4, 12L, TimeSpan.FromMilliseconds(10.9), 2));
        (shopping.CommandsPerRequestP50, shopping.CommandsPerRequestP95, shopping.CommandsPerRequestMax).Should().Be((2, 6, 6));
        (shopping.DatabaseTimePerRequestP50, shopping.DatabaseTimePerRequestP95, shopping.DatabaseTimePerRequestMax)
            .Should().Be((TimeSpan.FromMilliseconds(1.9), TimeSpan.FromMilliseconds(6.5), TimeSpan.FromMilliseconds(6.5)));
        shopping.ToString().Should().Be(
            "GET /shopping: 4 requests; commands per request p50 2, p95 6, max 6; database time per request p50 1.9 ms, p95 6.5 ms, max 6.5 ms");
    }

    [Fact]
    public void Top_statements_are_ranked_by_total_time()
    {
        var shopping = QueryStatistics.Compute(Shopping()).Single(r => r.Route == "GET /shopping");

        shopping.TopStatements.Should().Equal(
            new StatementStatistics(Ingredients, 9, TimeSpan.FromMilliseconds(6.4), TimeSpan.FromTicks(64_000 / 9), TimeSpan.FromMilliseconds(5), 2.25),
            new StatementStatistics(List, 3, TimeSpan.FromMilliseconds(4.5), TimeSpan.FromMilliseconds(1.5), TimeSpan.FromMilliseconds(2), 0.75));
        QueryStatistics.Compute(Shopping(), topStatements: 1).Single(r => r.Route == "GET /shopping").TopStatements.Select(s => s.Statement).Should().Equal(Ingredients);
    }

    [Fact]
    public void Ties_in_total_time_go_to_the_more_frequent_statement_then_by_text()
    {
        var route = QueryStatistics.Compute([new RequestQueries("GET /a", [Ran("B", 2), Ran("A", 2), Ran("C", 1), Ran("C", 1)])]).Single();

        route.TopStatements.Select(s => s.Statement).Should().Equal("C", "A", "B");
    }

    [Fact]
    public void The_top_statements_table_is_short_aligned_and_culture_invariant()
    {
        using var culture = new CultureScope("de-DE");
        var shopping = QueryStatistics.Compute(Shopping()).Single(r => r.Route == "GET /shopping");

        shopping.FormatTopStatements().Should().Be(
            """
              statement                                                    count  per request   total      mean   p95
              SELECT … FROM recipe_ingredients AS r WHERE r.recipe_id = ?      9         2.25  6.4 ms  0.711 ms  5 ms
              SELECT … FROM shopping_lists AS s WHERE s.user_id = ?            3         0.75  4.5 ms    1.5 ms  2 ms

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        shopping.FormatTopStatements(statementWidth: 30).Split('\n')[1].Should().StartWith("  SELECT … FROM recipe_ingredie…      9");
    }

    [Fact]
    public void A_route_without_commands_has_zeros_and_an_empty_table()
    {
        var health = QueryStatistics.Compute(Shopping()).Single(r => r.Route == "GET /health");

        (health.Requests, health.Commands, health.CommandsPerRequestMax, health.DatabaseTimePerRequestP95).Should().Be((2, 0L, 0, TimeSpan.Zero));
        health.TopStatements.Should().BeEmpty();
        health.FormatTopStatements().Should().Be("  statement  count  per request  total  mean  p95\n");
        QueryStatistics.Compute([]).Should().BeEmpty();
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        FluentActions.Invoking(() => QueryStatistics.Compute(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => QueryStatistics.Compute([], topStatements: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("topStatements");
        FluentActions.Invoking(() => QueryStatistics.Compute([null!])).Should().Throw<ArgumentException>().WithParameterName("requests");
        var route = QueryStatistics.Compute(Shopping()).First();
        route.Invoking(r => r.FormatTopStatements(19)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("statementWidth");
    }

    [Theory]
    [InlineData(new[] { 7 }, 50, 7)]
    [InlineData(new[] { 1, 2 }, 50, 1)]
    [InlineData(new[] { 1, 2, 3 }, 50, 2)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 }, 95, 19)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 }, 95, 20)]
    [InlineData(new[] { 1, 2, 3 }, 0, 1)]
    [InlineData(new[] { 1, 2, 3 }, 100, 3)]
    public void Nearest_rank_picks_an_observed_value(int[] sorted, double percentile, int expected)
    {
        NearestRank.Percentile<int>(sorted, percentile).Should().Be(expected);
    }
}
