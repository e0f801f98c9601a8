using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Sql;

public sealed class SqlLexerTests
{
    /// <summary>The tokens as "Kind text", whitespace left out unless asked for; an unterminated token ends in "…".</summary>
    private static List<string> Lex(string sql, bool placeholders = false, bool whitespace = false)
    {
        var tokens = new List<string>();
        foreach (var token in new SqlLexer(sql, placeholders))
        {
            if (whitespace || token.Kind != SqlTokenKind.Whitespace)
            {
                tokens.Add($"{token.Kind} {token.Text(sql)}{(token.IsUnterminated ? "…" : "")}");
            }
        }

        return tokens;
    }

    [Theory]
    [InlineData(" \t\r\n\f", "Whitespace  \t\r\n\f")]
    [InlineData("-- note", "LineComment -- note")]
    [InlineData("/* a */", "BlockComment /* a */")]
    [InlineData("/* a /* b */ c */", "BlockComment /* a /* b */ c */")]
    [InlineData("'it''s'", "String 'it''s'")]
    [InlineData("N'nat'", "String N'nat'")]
    [InlineData("E'it\\'s \\\\'", "EscapeString E'it\\'s \\\\'")]
    [InlineData("e'a''b'", "EscapeString e'a''b'")]
    [InlineData("U&'d\\0061t'", "UnicodeString U&'d\\0061t'")]
    [InlineData("B'0101'", "BitString B'0101'")]
    [InlineData("x'1F'", "BitString x'1F'")]
    [InlineData("$$it's$$", "DollarString $$it's$$")]
    [InlineData("$fn$ $$inner$$ $fn$", "DollarString $fn$ $$inner$$ $fn$")]
    [InlineData("recipe_id", "Identifier recipe_id")]
    [InlineData("price$usd", "Identifier price$usd")]
    [InlineData("café1", "Identifier café1")]
    [InlineData("\"say \"\"hi\"\"\"", "QuotedIdentifier \"say \"\"hi\"\"\"")]
    [InlineData("U&\"d\\0061t\"", "QuotedIdentifier U&\"d\\0061t\"")]
    [InlineData("42", "Number 42")]
    [InlineData("1.5", "Number 1.5")]
    [InlineData(".5", "Number .5")]
    [InlineData("5.", "Number 5.")]
    [InlineData("2.5E-3", "Number 2.5E-3")]
    [InlineData("1e10", "Number 1e10")]
    [InlineData("1_000_000", "Number 1_000_000")]
    [InlineData("0x1F", "Number 0x1F")]
    [InlineData("0o17", "Number 0o17")]
    [InlineData("0b101", "Number 0b101")]
    [InlineData("$12", "PositionalParameter $12")]
    [InlineData("@p0", "NamedParameter @p0")]
    [InlineData("@__recipeId_0", "NamedParameter @__recipeId_0")]
    [InlineData(":id", "NamedParameter :id")]
    [InlineData("(", "OpenParen (")]
    [InlineData(")", "CloseParen )")]
    [InlineData("[", "OpenBracket [")]
    [InlineData("]", "CloseBracket ]")]
    [InlineData(",", "Comma ,")]
    [InlineData(";", "Semicolon ;")]
    [InlineData(".", "Dot .")]
    [InlineData("$", "Other $")]
    [InlineData("\\", "Other \\")]
    public void Each_kind_of_token_is_read_whole(string sql, string expected)
    {
        Lex(sql, whitespace: true).Should().Equal(expected);
    }

    [Theory]
    [InlineData("a<=b", "Identifier a|Operator <=|Identifier b")]
    [InlineData("doc->>'k'", "Identifier doc|Operator ->>|String 'k'")]
    [InlineData("a||b", "Identifier a|Operator |||Identifier b")]
    [InlineData("x::int[]", "Identifier x|Operator ::|Identifier int|OpenBracket [|CloseBracket ]")]
    [InlineData("f(a := 1, b => 2)", "Identifier f|OpenParen (|Identifier a|Operator :=|Number 1|Comma ,|Identifier b|Operator =>|Number 2|CloseParen )")]
    [InlineData("tags @> $1 AND $2 <@ tags", "Identifier tags|Operator @>|PositionalParameter $1|Identifier AND|PositionalParameter $2|Operator <@|Identifier tags")]
    [InlineData("doc ?| ARRAY['a']", "Identifier doc|Operator ?||Identifier ARRAY|OpenBracket [|String 'a'|CloseBracket ]")]
    [InlineData("a<>b!=c", "Identifier a|Operator <>|Identifier b|Operator !=|Identifier c")]
    [InlineData("1..10", "Number 1|Operator ..|Number 10")]
    [InlineData("r.id", "Identifier r|Dot .|Identifier id")]
    public void Operators_take_their_longest_form(string sql, string expected)
    {
        string.Join('|', Lex(sql)).Should().Be(expected);
    }

    [Theory]
    [InlineData("a=-5", "Identifier a|Operator =|Operator -|Number 5")]
    [InlineData("a*-5", "Identifier a|Operator *|Operator -|Number 5")]
    [InlineData("a<=+-5", "Identifier a|Operator <=|Operator +|Operator -|Number 5")]
    [InlineData("a @-5", "Identifier a|Operator @-|Number 5")]
    [InlineData("a ?-5", "Identifier a|Operator ?-|Number 5")]
    [InlineData("a+--5\n", "Identifier a|Operator +|LineComment --5")]
    [InlineData("a*/*c*/b", "Identifier a|Operator *|BlockComment /*c*/|Identifier b")]
    public void An_operator_ends_as_PostgreSQL_ends_it(string sql, string expected)
    {
        // A multi-character operator ends in + or - only when it holds one of ~ ! @ # % ^ & | ` ?; -- and /* start comments.
        string.Join('|', Lex(sql)).Should().Be(expected);
    }

    [Theory]
    [InlineData("id=:id AND owner=@owner", "Identifier id|Operator =|NamedParameter :id|Identifier AND|Identifier owner|Operator =|NamedParameter @owner")]
    [InlineData("a < -@min", "Identifier a|Operator <|Operator -|NamedParameter @min")]
    [InlineData("@p0::text", "NamedParameter @p0|Operator ::|Identifier text")]
    [InlineData("arr[lo:hi]", "Identifier arr|OpenBracket [|Identifier lo|Operator :|Identifier hi|CloseBracket ]")]
    [InlineData("tags<@other", "Identifier tags|Operator <@|Identifier other")]
    [InlineData("doc @@ q", "Identifier doc|Operator @@|Identifier q")]
    [InlineData("doc@@q", "Identifier doc|Operator @@|Identifier q")]
    [InlineData("x@y", "Identifier x|Operator @|Identifier y")]
    [InlineData("f(x)::int", "Identifier f|OpenParen (|Identifier x|CloseParen )|Operator ::|Identifier int")]
    [InlineData("@ -5", "Operator @|Operator -|Number 5")]
    [InlineData("@p$1", "NamedParameter @p|PositionalParameter $1")]
    public void Named_parameters_are_told_from_operators_by_what_surrounds_them(string sql, string expected)
    {
        string.Join('|', Lex(sql)).Should().Be(expected);
    }

    [Theory]
    [InlineData("t1 p0_id x2y", "Identifier t1|Identifier p0_id|Identifier x2y")]
    [InlineData("a$1 $1a", "Identifier a$1|PositionalParameter $1|Identifier a")]
    [InlineData("e'x' ex'y' e", "EscapeString e'x'|Identifier ex|String 'y'|Identifier e")]
    [InlineData("U&x u&'y'", "Identifier U|Operator &|Identifier x|UnicodeString u&'y'")]
    [InlineData("$1tag$ $a1$x$a1$", "PositionalParameter $1|Identifier tag$|DollarString $a1$x$a1$")]
    [InlineData("$a$ $b$ $a$", "DollarString $a$ $b$ $a$")]
    [InlineData("1_ 1__0 0x 0b2", "Number 1|Identifier _|Number 1|Identifier __0|Number 0|Identifier x|Number 0|Identifier b2")]
    [InlineData("1e 1e+ 1.e5", "Number 1|Identifier e|Number 1|Identifier e|Operator +|Number 1.e5")]
    [InlineData("'a' -- 'b'\n'c'", "String 'a'|LineComment -- 'b'|String 'c'")]
    [InlineData("'-- no' '/* no */' \"-- no\" $$-- no$$", "String '-- no'|String '/* no */'|QuotedIdentifier \"-- no\"|DollarString $$-- no$$")]
    [InlineData("'C:\\' a", "String 'C:\\'|Identifier a")]
    public void Edges_of_names_numbers_and_quotes(string sql, string expected)
    {
        string.Join('|', Lex(sql)).Should().Be(expected);
    }

    [Theory]
    [InlineData("SELECT 'abc", "String 'abc…")]
    [InlineData("SELECT 'it''", "String 'it''…")]
    [InlineData("SELECT E'abc\\'", "EscapeString E'abc\\'…")]
    [InlineData("SELECT E'abc\\", "EscapeString E'abc\\…")]
    [InlineData("SELECT U&'abc", "UnicodeString U&'abc…")]
    [InlineData("SELECT B'01", "BitString B'01…")]
    [InlineData("SELECT $$abc", "DollarString $$abc…")]
    [InlineData("SELECT $t$abc$t", "DollarString $t$abc$t…")]
    [InlineData("SELECT \"abc", "QuotedIdentifier \"abc…")]
    [InlineData("SELECT U&\"abc", "QuotedIdentifier U&\"abc…")]
    [InlineData("SELECT /* a /* b */", "BlockComment /* a /* b */…")]
    [InlineData("SELECT /*", "BlockComment /*…")]
    [InlineData("SELECT /*/", "BlockComment /*/…")]
    public void Unterminated_input_runs_to_the_end_and_is_flagged(string sql, string expected)
    {
        Lex(sql).Should().Equal("Identifier SELECT", expected);
    }

    [Theory]
    [InlineData("-- to the end", "LineComment -- to the end")]
    [InlineData("$", "Other $")]
    [InlineData("E", "Identifier E")]
    [InlineData("U&", "Identifier U|Operator &")]
    [InlineData("@", "Operator @")]
    [InlineData(":", "Operator :")]
    [InlineData("0x", "Number 0|Identifier x")]
    [InlineData("1e-", "Number 1|Identifier e|Operator -")]
    public void Input_that_stops_short_still_yields_tokens(string sql, string expected)
    {
        string.Join('|', Lex(sql)).Should().Be(expected);
    }

    [Fact]
    public void A_line_comment_stops_before_the_end_of_its_line()
    {
        Lex("a -- x\r\nb", whitespace: true).Should().Equal("Identifier a", "Whitespace  ", "LineComment -- x", "Whitespace \r\n", "Identifier b");
    }

    [Theory]
    [InlineData("id=?", false, "Identifier id|Operator =?")]
    [InlineData("id=?", true, "Identifier id|Operator =|Placeholder ?")]
    [InlineData("IN (?...)", true, "Identifier IN|OpenParen (|Placeholder ?|Operator ..|Dot .|CloseParen )")]
    [InlineData("doc ?| x", true, "Identifier doc|Placeholder ?|Operator ||Identifier x")]
    public void Normalised_text_can_read_the_question_mark_as_a_placeholder(string sql, bool placeholders, string expected)
    {
        string.Join('|', Lex(sql, placeholders)).Should().Be(expected);
    }

    public static TheoryData<string> TrickyStatements => new(
        "",
        "SELECT * FROM recipes WHERE id = $1",
        "SELECT 'it''s', E'\\'\\\\', U&'\\0061', B'01', X'ff', N'n', $$a'b$$, $t$ $$ $t$ FROM t -- done",
        "SELECT /* a /* nested */ b */ \"Q \"\" d\".\"x\" FROM \"T\" WHERE a<=-1 AND b->>'k' ~~* 'x%' OR c::int[] @> ARRAY[1,2]",
        "INSERT INTO t (a, b) VALUES (@p0, :p1), (-1.5e-3, 0x1F) RETURNING id;",
        "SELECT a[lo:hi], f(x := 1), 1..2, x@y, tags<@other, @ -5, |/ 25.0, price$usd, $1abc",
        "SELECT 'unterminated",
        "SELECT E'ends in a backslash\\",
        "SELECT \"unterminated",
        "SELECT $tag$ unterminated $tag",
        "SELECT /* unterminated /* */",
        "SELECT 1 -- comment without newline",
        "\u00a0SELECT\u2003café, été, 😀, € FROM t\r\n",
        "$ $$ $1 $a $a$ @ : :: ? ?| ; . .. ... \\ { } ^ `",
        "'''' \"\"\"\" '' \"\" E'' U&'' $$$$ 0b 0o 0x 1_ _1 1e 1e+ .e5",
        "-/* */- +-- x\n*/ /*/ */");

    [Theory]
    [MemberData(nameof(TrickyStatements))]
    public void The_tokens_put_together_are_the_input(string sql)
    {
        foreach (var placeholders in new[] { false, true })
        {
            var text = new System.Text.StringBuilder();
            var end = 0;
            foreach (var token in new SqlLexer(sql, placeholders))
            {
                token.Start.Should().Be(end, "each token starts where the one before it ended");
                token.Length.Should().BePositive("every token moves on, so reading never loops");
                text.Append(token.Text(sql));
                end = token.End;
            }

            text.ToString().Should().Be(sql);
        }
    }

    [Fact]
    public void Peek_reads_the_next_token_without_moving_on()
    {
        var lexer = new SqlLexer("a -1");
        lexer.MoveNext().Should().BeTrue();
        lexer.Peek().Should().Be(new SqlToken(SqlTokenKind.Whitespace, 1, 1));
        lexer.Current.Should().Be(new SqlToken(SqlTokenKind.Identifier, 0, 1));
        lexer.MoveNext().Should().BeTrue();
        lexer.MoveNext().Should().BeTrue();
        lexer.Current.Should().Be(new SqlToken(SqlTokenKind.Operator, 2, 1));
        lexer.Peek().Should().Be(new SqlToken(SqlTokenKind.Number, 3, 1));
        lexer.MoveNext().Should().BeTrue();
        lexer.Peek().Should().Be(default(SqlToken));
        lexer.MoveNext().Should().BeFalse();
    }

    [Fact]
    public void Long_input_is_read_in_one_pass()
    {
        var values = string.Join(", ", Enumerable.Range(1, 50_000));
        var sql = $"SELECT * FROM t WHERE id IN ({values}) /* {new string('*', 10_000)} */";
        var count = 0;
        foreach (var token in new SqlLexer(sql))
        {
            count++;
        }

        count.Should().Be(15 + 50_000 + (2 * 49_999) + 3);
    }
}
