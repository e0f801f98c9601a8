using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Queries;

/// <summary>The rewriting of a captured statement's parameters before EXPLAIN, without a server.</summary>
public sealed class PlanInspectorParameterTests
{
    [Theory]
    [InlineData("SELECT * FROM t WHERE id = @id", "SELECT * FROM t WHERE id = $1", 1)]
    [InlineData("SELECT * FROM t WHERE id = @id AND owner = :owner OR parent = @ID", "SELECT * FROM t WHERE id = $1 AND owner = $2 OR parent = $1", 2)]
    [InlineData("INSERT INTO t (a, b) VALUES (@__a_0,@p1)", "INSERT INTO t (a, b) VALUES ($1,$2)", 2)]
    [InlineData("SELECT * FROM t WHERE a < -@min AND b=@max", "SELECT * FROM t WHERE a < -$1 AND b=$2", 2)]
    [InlineData("SELECT @p0::text[], :p1::int", "SELECT $1::text[], $2::int", 2)]
    public void Named_parameters_become_positional_by_first_appearance(string sql, string expected, int count)
    {
        PlanInspector.ToPositional(sql, out var named).Should().Be(expected);
        named.Should().Be(count);
    }

    [Theory]
    [InlineData("SELECT '@a', \"@b\" FROM t -- @c")]
    [InlineData("SELECT E'\\' @a' FROM t")]
    [InlineData("SELECT $$ @b $$, $t$ :c $t$ FROM t")]
    [InlineData("SELECT 1 FROM t /* @e /* @f */ */")]
    [InlineData("SELECT x::text, a[lo:hi], f(a := 1), x@y, tags<@other, doc @@ q FROM t WHERE id = $1")]
    [InlineData("SELECT 'unterminated @a")]
    public void Text_that_only_looks_like_a_parameter_is_kept(string sql)
    {
        PlanInspector.ToPositional(sql, out var named).Should().BeSameAs(sql);
        named.Should().Be(0);
    }

    [Theory]
    [InlineData("SELECT 1", 0)]
    [InlineData("SELECT * FROM t WHERE a = $1 AND b = $3", 3)]
    [InlineData("SELECT $2, '$5', \"$6\", a$7, $$ $9 $$, E'\\' $8' -- $10", 2)]
    [InlineData("SELECT $99999999999", 0)]
    public void The_placeholders_are_counted_outside_quotes(string sql, int expected)
    {
        PlanInspector.CountPlaceholders(sql).Should().Be(expected);
    }
}
