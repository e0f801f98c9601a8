using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Queries;

public sealed class SqlTextTests
{
    [Theory]
    [InlineData("SELECT a FROM t", 20, "SELECT a FROM t")]
    [InlineData("SELECT a, b, c, d FROM t WHERE x = ?", 30, "SELECT … FROM t WHERE x = ?")]
    [InlineData("select a, b, c, d from t where x = ?", 30, "select … from t where x = ?")]
    [InlineData("SELECT (SELECT y FROM u), b FROM t WHERE x = ?", 30, "SELECT … FROM t WHERE x = ?")]
    [InlineData("SELECT \"a FROM\", b FROM t WHERE x = ?", 30, "SELECT … FROM t WHERE x = ?")]
    [InlineData("SELECT a, b FROM recipe_ingredients WHERE recipe_id = ? AND unit = ?", 40, "SELECT … FROM recipe_ingredients WHERE…")]
    [InlineData("UPDATE recipe_ingredients SET quantity = ? WHERE id = ?", 30, "UPDATE recipe_ingredients SET…")]
    [InlineData("INSERT_INTO_A_VERY_LONG_IDENTIFIER_WITHOUT_SPACES", 20, "INSERT_INTO_A_VERY_…")]
    public void Shorten_drops_the_select_list_first_then_cuts_at_a_word(string statement, int max, string expected)
    {
        var shortened = SqlText.Shorten(statement, max);

        shortened.Should().Be(expected);
        shortened.Length.Should().BeLessThanOrEqualTo(max);
    }

    [Theory]
    [InlineData("SELECT 'a FROM b', c, d FROM t WHERE x = $1", 30, "SELECT … FROM t WHERE x = $1")]
    [InlineData("SELECT a /* FROM x */, b, c FROM t WHERE x = ?", 30, "SELECT … FROM t WHERE x = ?")]
    [InlineData("SELECT $$ ) FROM ( $$, b, c FROM t WHERE x = ?", 30, "SELECT … FROM t WHERE x = ?")]
    public void Shorten_finds_the_outer_FROM_outside_strings_and_comments(string statement, int max, string expected)
    {
        SqlText.Shorten(statement, max).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE t.recipe_id = ?", "recipe_id")]
    [InlineData("SELECT * FROM t WHERE a >= ? AND b <> ? AND c != ? AND \"Owner\" = ?", "\"Owner\"")]
    [InlineData("SELECT * FROM t WHERE id IN (?...)", null)]
    [InlineData("SELECT * FROM t WHERE x = y AND z=?", "z")]
    [InlineData("SELECT * FROM t JOIN u ON u.a = t.b WHERE ? = t.c", null)]
    [InlineData("SELECT * FROM t WHERE (? = 1)", null)]
    [InlineData("SELECT * FROM t", null)]
    [InlineData("SELECT * FROM t WHERE \"a\"\"b\" = ?", "\"a\"\"b\"")]
    [InlineData("SELECT * FROM \"x WHERE y\" WHERE a = b AND c = ? AND d IN (?...)", "c")]
    [InlineData("SELECT * FROM t WHERE a = ?::uuid", "a")]
    public void KeyColumn_is_the_first_column_compared_to_a_placeholder(string statement, string? expected)
    {
        SqlText.KeyColumn(statement).Should().Be(expected);
    }

    [Theory]
    [InlineData("select 1", "SELECT")]
    [InlineData("(SELECT 1) UNION (SELECT 2)", "SELECT")]
    [InlineData("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", "SELECT")]
    [InlineData("insert into t values (?)", "INSERT")]
    [InlineData("", "")]
    [InlineData("\n\tupdate t set a = 1", "UPDATE")]
    [InlineData("/* app=web */ DELETE FROM t", "DELETE")]
    [InlineData("-- by id\n( (select 1))", "SELECT")]
    [InlineData("'x'", "")]
    public void Verb_is_the_first_word(string statement, string expected)
    {
        SqlText.Verb(statement).Should().Be(expected);
    }
}
