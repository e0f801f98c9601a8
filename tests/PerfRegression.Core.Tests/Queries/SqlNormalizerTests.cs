using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Queries;

public sealed class SqlNormalizerTests
{
    [Theory]
    [InlineData("SELECT * FROM recipes WHERE id = 42", "SELECT * FROM recipes WHERE id = ?")]
    [InlineData("SELECT * FROM recipes WHERE name = 'Pad thai'", "SELECT * FROM recipes WHERE name = ?")]
    [InlineData("SELECT * FROM recipes WHERE id = $1", "SELECT * FROM recipes WHERE id = ?")]
    [InlineData("SELECT * FROM recipes WHERE id = @p0", "SELECT * FROM recipes WHERE id = ?")]
    [InlineData("SELECT * FROM recipes WHERE id = @__recipeId_0", "SELECT * FROM recipes WHERE id = ?")]
    [InlineData("SELECT * FROM recipes WHERE id = :id", "SELECT * FROM recipes WHERE id = ?")]
    [InlineData("SELECT * FROM recipes WHERE id=:id AND owner=@owner", "SELECT * FROM recipes WHERE id=? AND owner=?")]
    public void Constants_and_parameters_become_one_placeholder(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT 'it''s' AS a, 'x' AS b", "SELECT ? AS a, ? AS b")]
    [InlineData("SELECT 'a -- not a comment' || '/* nor this */' FROM t", "SELECT ? || ? FROM t")]
    [InlineData("SELECT 'say \"hi\"', '$1', '@p0', ':name'", "SELECT ?, ?, ?, ?")]
    [InlineData("SELECT E'it\\'s \\\\', E'two''quotes'", "SELECT ?, ?")]
    [InlineData("SELECT e'\\n' FROM t", "SELECT ? FROM t")]
    [InlineData("SELECT 'C:\\' FROM t WHERE a = 1", "SELECT ? FROM t WHERE a = ?")]
    [InlineData("SELECT B'0101', X'1F', N'nat', U&'d\\0061t'", "SELECT ?, ?, ?, ?")]
    [InlineData("SELECT DATE '2026-11-23', interval '1 day'", "SELECT DATE ?, interval ?")]
    [InlineData("SELECT 'unterminated", "SELECT ?")]
    public void String_constants_with_quotes_and_escapes_are_one_placeholder(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT $$it's a 'body'$$", "SELECT ?")]
    [InlineData("SELECT $fn$ SELECT $$inner$$; 'x' $fn$ AS body, 1", "SELECT ? AS body, ?")]
    [InlineData("SELECT $a$one$a$, $b$two$b$", "SELECT ?, ?")]
    [InlineData("SELECT $$never closed", "SELECT ?")]
    [InlineData("SELECT price$usd, a$1 FROM t", "SELECT price$usd, a$1 FROM t")]
    public void Dollar_quoted_strings_are_one_placeholder_and_dollars_in_names_are_kept(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT 1.5, .5, 5., 1e10, 2.5E-3, 1_000_000, 0x1F, 0o17, 0b101", "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?")]
    [InlineData("SELECT a FROM t WHERE b > 10 LIMIT 20 OFFSET 40", "SELECT a FROM t WHERE b > ? LIMIT ? OFFSET ?")]
    [InlineData("SELECT tags[1], tags[2:3] FROM t", "SELECT tags[?], tags[?:?] FROM t")]
    public void Numeric_constants_become_placeholders(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE a = -5", "SELECT * FROM t WHERE a = ?")]
    [InlineData("SELECT * FROM t WHERE a=-5", "SELECT * FROM t WHERE a=?")]
    [InlineData("SELECT * FROM t WHERE a = +5", "SELECT * FROM t WHERE a = ?")]
    [InlineData("SELECT -1, -2.5 FROM t", "SELECT ?, ? FROM t")]
    [InlineData("SELECT * FROM t WHERE a BETWEEN -3 AND -1", "SELECT * FROM t WHERE a BETWEEN ? AND ?")]
    [InlineData("SELECT * FROM t WHERE a IN (-1, -2)", "SELECT * FROM t WHERE a IN (?...)")]
    [InlineData("SELECT CASE WHEN a THEN -1 ELSE -$1 END", "SELECT CASE WHEN a THEN ? ELSE ? END")]
    [InlineData("SELECT * FROM t WHERE a < -@min", "SELECT * FROM t WHERE a < ?")]
    public void A_sign_where_no_binary_operator_can_stand_belongs_to_the_number(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT a - 5 FROM t", "SELECT a - ? FROM t")]
    [InlineData("SELECT a -5 FROM t", "SELECT a -? FROM t")]
    [InlineData("SELECT a-5, b+1 FROM t", "SELECT a-?, b+? FROM t")]
    [InlineData("SELECT (a + 1) - 2 FROM t", "SELECT (a + ?) - ? FROM t")]
    [InlineData("SELECT $1 - 2, \"x\" - 3 FROM t", "SELECT ? - ?, \"x\" - ? FROM t")]
    [InlineData("SELECT a::int -1 FROM t", "SELECT a::int -? FROM t")]
    public void A_minus_after_an_operand_stays_an_operator(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT '1'::int, 2::bigint, CAST('3' AS numeric)", "SELECT ?::int, ?::bigint, CAST(? AS numeric)")]
    [InlineData("SELECT $1::uuid, @p0::text[], '{1,2}'::int[]", "SELECT ?::uuid, ?::text[], ?::int[]")]
    [InlineData("SELECT a::text FROM t", "SELECT a::text FROM t")]
    public void Casts_keep_their_type(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT t1.col2, p0, p0_id, x2y FROM t1 JOIN t2 ON t1.id = t2.t1_id", "SELECT t1.col2, p0, p0_id, x2y FROM t1 JOIN t2 ON t1.id = t2.t1_id")]
    [InlineData("SELECT \"Col2\", \"Recipe 1\".\"Id\" FROM \"Recipe 1\"", "SELECT \"Col2\", \"Recipe 1\".\"Id\" FROM \"Recipe 1\"")]
    [InlineData("SELECT \"say \"\"42\"\"\" FROM \"T\" WHERE \"T\".\"Id\" = 7", "SELECT \"say \"\"42\"\"\" FROM \"T\" WHERE \"T\".\"Id\" = ?")]
    [InlineData("SELECT U&\"d\\0061t\" FROM t", "SELECT U&\"d\\0061t\" FROM t")]
    [InlineData("SELECT Name, NAME, name FROM Recipes", "SELECT Name, NAME, name FROM Recipes")]
    [InlineData("SELECT café1 FROM été2", "SELECT café1 FROM été2")]
    [InlineData("SELECT e, x, b, n, u FROM t", "SELECT e, x, b, n, u FROM t")]
    public void Identifiers_and_keywords_are_kept_as_written(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT a -- the id\nFROM t -- trailing", "SELECT a FROM t")]
    [InlineData("SELECT /* one */ a /* two /* nested */ still */ FROM t", "SELECT a FROM t")]
    [InlineData("SELECT a/**/FROM t", "SELECT a FROM t")]
    [InlineData("  SELECT\ta,\r\n\r\n   b\n FROM   t ;; ", "SELECT a, b FROM t")]
    [InlineData("SELECT a FROM t /* never closed", "SELECT a FROM t")]
    [InlineData("", "")]
    [InlineData(" -- only a comment", "")]
    public void Comments_go_and_whitespace_collapses(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT * FROM t WHERE id IN (?...)")]
    [InlineData("SELECT * FROM t WHERE id IN (7)", "SELECT * FROM t WHERE id IN (?...)")]
    [InlineData("SELECT * FROM t WHERE id in ( $1,$2 , $3 )", "SELECT * FROM t WHERE id in (?...)")]
    [InlineData("SELECT * FROM t WHERE code NOT IN ('a', 'b') AND id IN (@p0, @p1)", "SELECT * FROM t WHERE code NOT IN (?...) AND id IN (?...)")]
    [InlineData("SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = 1)", "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = ?)")]
    [InlineData("SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4))", "SELECT * FROM t WHERE (a, b) IN ((?, ?), (?, ?))")]
    [InlineData("SELECT * FROM t WHERE id IN (1, a)", "SELECT * FROM t WHERE id IN (?, a)")]
    [InlineData("SELECT * FROM t WHERE id = ANY(ARRAY[1, 2, 3])", "SELECT * FROM t WHERE id = ANY(ARRAY[?...])")]
    [InlineData("SELECT count(1), f(1, 2) FROM t", "SELECT count(?), f(?, ?) FROM t")]
    public void Lists_of_placeholders_collapse_to_one(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("INSERT INTO t (a, b) VALUES (1, 'x')", "INSERT INTO t (a, b) VALUES (?, ?)")]
    [InlineData("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), ($1, $2)", "INSERT INTO t (a, b) VALUES (?, ?)...")]
    [InlineData("INSERT INTO t (a, b) VALUES (@p0, @p1),(@p2, @p3) RETURNING id", "INSERT INTO t (a, b) VALUES (?, ?)... RETURNING id")]
    [InlineData("INSERT INTO t (a, b) VALUES (1, DEFAULT), (2, 3)", "INSERT INTO t (a, b) VALUES (?, DEFAULT), (?, ?)")]
    [InlineData("INSERT INTO t (a) VALUES (now()), (now()), (1)", "INSERT INTO t (a) VALUES (now())..., (?)")]
    [InlineData("INSERT INTO t (a, b) VALUES (1, (2)), (3, (4))", "INSERT INTO t (a, b) VALUES (?, (?))...")]
    [InlineData("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)", "SELECT * FROM (VALUES (?, ?)...) AS v(id, name)")]
    public void Identical_rows_of_a_multi_row_VALUES_collapse(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE tags @> $1 AND $2 <@ tags AND doc ?| ARRAY['a']", "SELECT * FROM t WHERE tags @> ? AND ? <@ tags AND doc ?| ARRAY[?...]")]
    [InlineData("SELECT * FROM t WHERE tags<@other", "SELECT * FROM t WHERE tags<@other")]
    [InlineData("SELECT f(a := 1), x::text, arr[lo:hi] FROM t", "SELECT f(a := ?), x::text, arr[lo:hi] FROM t")]
    [InlineData("SELECT @ -5, |/ 25.0", "SELECT @ ?, |/ ?")]
    public void Operators_that_look_like_parameters_are_kept(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT $$ -- not a comment $$, 'a /* b', 1 /* it's */ FROM t -- it's", "SELECT ?, ?, ? FROM t")]
    [InlineData("SELECT E'\\' -- still the string', 2 FROM t", "SELECT ?, ? FROM t")]
    [InlineData("SELECT /* a /* 'b' */ $$ */ 1 FROM t", "SELECT ? FROM t")]
    [InlineData("SELECT \"a -- b\", \"c /* d\" FROM t WHERE x = 1", "SELECT \"a -- b\", \"c /* d\" FROM t WHERE x = ?")]
    [InlineData("SELECT $body$ it's $$ $1 @p0 $body$ AS s, $1tag FROM t", "SELECT ? AS s, ?tag FROM t")]
    [InlineData("SELECT U&'\\0041' || B'1' || X'F' FROM t WHERE n = N'x'", "SELECT ? || ? || ? FROM t WHERE n = ?")]
    public void Quotes_and_comments_hide_each_other_as_PostgreSQL_reads_them(string sql, string expected)
    {
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE a <=-1 AND b*-2 > 0 AND c <>+3", "SELECT * FROM t WHERE a <=? AND b*? > ? AND c <>?")]
    [InlineData("SELECT a @-1, a ||-1 FROM t", "SELECT a @-?, a ||-? FROM t")]
    public void An_operator_glued_to_a_sign_ends_where_PostgreSQL_ends_it(string sql, string expected)
    {
        // PostgreSQL lexes =-1 as = and -1, but @-1 and ||-1 as the operators @- and ||- (they hold a character no SQL operator has).
        SqlNormalizer.Normalize(sql).Should().Be(expected);
    }

    [Fact]
    public void The_same_call_with_other_values_and_layout_normalises_to_the_same_text()
    {
        var a = SqlNormalizer.Normalize("SELECT r.id, r.name FROM recipe_ingredients AS r WHERE r.recipe_id = 17 AND r.unit IN ('g', 'ml')");
        var b = SqlNormalizer.Normalize("SELECT r.id, r.name\n  FROM recipe_ingredients AS r -- by recipe\n WHERE r.recipe_id = $1 AND r.unit IN ($2, $3, $4)");

        a.Should().Be("SELECT r.id, r.name FROM recipe_ingredients AS r WHERE r.recipe_id = ? AND r.unit IN (?...)");
        b.Should().Be(a);
        SqlNormalizer.Fingerprint(a).Should().Be(SqlNormalizer.Fingerprint(b));
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE id IN (?...) AND x = ?")]
    [InlineData("INSERT INTO t (a, b) VALUES (?, ?)... RETURNING id")]
    [InlineData("SELECT a - ? FROM t WHERE b = ? LIMIT ?")]
    public void Normalising_twice_changes_nothing(string normalized)
    {
        SqlNormalizer.Normalize(normalized).Should().Be(normalized);
    }

    [Fact]
    public void Long_and_deeply_nested_text_is_handled()
    {
        var values = string.Join(", ", Enumerable.Range(1, 5_000));
        SqlNormalizer.Normalize($"SELECT * FROM t WHERE id IN ({values})").Should().Be("SELECT * FROM t WHERE id IN (?...)");

        var nested = new string('(', 100) + "1" + new string(')', 100);
        SqlNormalizer.Normalize("SELECT " + nested).Should().Be("SELECT " + new string('(', 100) + "?" + new string(')', 100));
        SqlNormalizer.Normalize("SELECT a) FROM t").Should().Be("SELECT a) FROM t");
    }

    [Fact]
    public void The_fingerprint_is_sixteen_stable_hex_digits()
    {
        var fingerprint = SqlNormalizer.Fingerprint("SELECT * FROM recipes WHERE id = ?");

        fingerprint.Should().MatchRegex("^[0-9a-f]{16}$");
        fingerprint.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("SELECT * FROM recipes WHERE id = ?"u8))[..16]);
        SqlNormalizer.Fingerprint("SELECT * FROM recipes WHERE id = ?").Should().Be(fingerprint);
        SqlNormalizer.Fingerprint("SELECT * FROM Recipes WHERE id = ?").Should().NotBe(fingerprint);
        SqlNormalizer.Fingerprint(new string('x', 10_000)).Should().HaveLength(16);
    }

    [Fact]
    public void Null_is_refused()
    {
        var normalize = () => SqlNormalizer.Normalize(null!);
        var fingerprint = () => SqlNormalizer.Fingerprint(null!);

        normalize.Should().Throw<ArgumentNullException>().WithParameterName("sql");
        fingerprint.Should().Throw<ArgumentNullException>().WithParameterName("normalizedSql");
    }
}
