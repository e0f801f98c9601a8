using System.Collections.Frozen;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Reads the columns an index could serve from a condition as EXPLAIN prints it, such as
/// <c>((rating &gt;= 4) AND ((r.cuisine)::text = 'thai'::text))</c>, to suggest an index. Columns compared with
/// <c>=</c> (or <c>IS</c>) come first, since an index serves equality columns before a range; a function of
/// columns (<c>lower(name)</c>) is kept whole, for an expression index. Constants, parameters, type names after
/// <c>::</c> and keywords are skipped. EXPLAIN leaves the scanned relation's own columns unqualified and
/// qualifies the others (<c>recipe_id = r.id</c> in an inner index scan), so a qualified column counts only when
/// its qualifier is the node's alias or relation. It is a suggestion, not a parser: an expression it does not
/// understand yields fewer columns, never an error.
/// </summary>
internal static class IndexColumns
{
    private static readonly FrozenSet<string> Keywords = new[]
    {
        "AND", "OR", "NOT", "IS", "NULL", "TRUE", "FALSE", "ANY", "ALL", "SOME", "IN", "LIKE", "ILIKE", "SIMILAR",
        "TO", "BETWEEN", "SYMMETRIC", "DISTINCT", "FROM", "CASE", "WHEN", "THEN", "ELSE", "END", "ARRAY", "ROW",
        "EXISTS", "COLLATE", "SubPlan", "InitPlan", "hashed", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
        "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER", "SESSION_USER", "USER",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Words that continue a type name after <c>::</c>, as in <c>::character varying</c> or <c>::timestamp with time zone</c>.</summary>
    private static readonly FrozenSet<string> TypeWords = new[] { "varying", "precision", "with", "without", "time", "zone" }
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The distinct columns (or column expressions) of the conditions, equality columns first.</summary>
    /// <param name="ownNames">The scanned relation's alias and name: qualifiers that mark its own columns.</param>
    /// <param name="conditions">Conditions as EXPLAIN prints them; null ones are skipped.</param>
    public static IReadOnlyList<string> From(IReadOnlyCollection<string> ownNames, params string?[] conditions)
    {
        var equality = new List<string>();
        var other = new List<string>();
        foreach (var condition in conditions)
        {
            if (!string.IsNullOrEmpty(condition))
            {
                Collect(condition, ownNames, equality, other);
            }
        }

        return [.. equality.Concat(other.Where(c => !equality.Contains(c, StringComparer.Ordinal))).Distinct(StringComparer.Ordinal)];
    }

    private static void Collect(string text, IReadOnlyCollection<string> ownNames, List<string> equality, List<string> other)
    {
        var tokens = Tokenize(text);
        var foreign = new bool[tokens.Count];
        for (var d = 1; d + 1 < tokens.Count; d++)
        {
            if (tokens[d].Kind == SqlTokenKind.Dot && tokens[d - 1].IsName && tokens[d + 1].IsName)
            {
                // schema.function(…) is a call, not another relation's column.
                var qualifier = text[tokens[d - 1].Start..tokens[d - 1].End].Trim('"');
                var call = d + 2 < tokens.Count && IsOpen(tokens[d + 2]);
                foreign[d + 1] = !call && !ownNames.Contains(qualifier, StringComparer.Ordinal);
            }
        }

        for (var k = 0; k < tokens.Count; k++)
        {
            var token = tokens[k];
            if (!IsColumn(text, tokens, foreign, k))
            {
                continue;
            }

            string column;
            var last = k;
            if (k + 1 < tokens.Count && IsOpen(tokens[k + 1]))
            {
                // A function call: an index can serve it as an expression when it reads at least one column.
                last = MatchingClose(tokens, k + 1);
                if (last < 0 || !ReadsColumn(text, tokens, foreign, k + 2, last))
                {
                    continue;
                }

                column = text[token.Start..tokens[last].End];
            }
            else
            {
                column = text[token.Start..token.End];
            }

            (IsEqualityAfter(text, tokens, last + 1) ? equality : other).Add(column);
            k = last;
        }
    }

    private static bool ReadsColumn(string text, List<SqlToken> tokens, bool[] foreign, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (IsColumn(text, tokens, foreign, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A name that is no keyword, no qualifier (followed by a dot) and not another relation's column.</summary>
    private static bool IsColumn(string text, List<SqlToken> tokens, bool[] foreign, int k) =>
        tokens[k].IsName
        && !foreign[k]
        && !IsKeyword(text, tokens[k])
        && !(k + 1 < tokens.Count && tokens[k + 1].Kind == SqlTokenKind.Dot);

    private static int MatchingClose(List<SqlToken> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            depth += IsOpen(tokens[i]) ? 1 : tokens[i].Kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsEqualityAfter(string text, List<SqlToken> tokens, int i)
    {
        while (i < tokens.Count && tokens[i].Kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket)
        {
            i++;
        }

        if (i >= tokens.Count)
        {
            return true; // a boolean column on its own: (is_published)
        }

        return tokens[i].Is(SqlTokenKind.Operator, text, "=") || tokens[i].Is(SqlTokenKind.Identifier, text, "IS");
    }

    private static bool IsOpen(SqlToken token) => token.Kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket;

    private static bool IsKeyword(string text, SqlToken token) =>
        Keywords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(token.Text(text));

    /// <summary>The condition's tokens without whitespace, and without the type names of casts (<c>::text</c>): a type is not a column.</summary>
    private static List<SqlToken> Tokenize(string text)
    {
        var all = new List<SqlToken>();
        foreach (var token in new SqlLexer(text))
        {
            all.Add(token);
        }

        var tokens = new List<SqlToken>(all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].Is(SqlTokenKind.Operator, text, "::"))
            {
                i = AfterTypeName(text, all, i + 1) - 1;
            }
            else if (!all[i].IsTrivia)
            {
                tokens.Add(all[i]);
            }
        }

        return tokens;
    }

    /// <summary>
    /// The index of the first token after the type name that starts at <paramref name="i"/>: one name, then the
    /// words that continue it (<c>character varying</c>), each with its qualifier (<c>pg_catalog.text</c>) and
    /// modifier (<c>numeric(10,2)</c>, <c>timestamp(3) without time zone</c>), then array brackets (<c>integer[]</c>).
    /// </summary>
    private static int AfterTypeName(string text, List<SqlToken> all, int i)
    {
        var first = true;
        while (true)
        {
            var word = i < all.Count && all[i].Kind == SqlTokenKind.Whitespace ? i + 1 : i;
            if (word >= all.Count
                || !(all[word].Kind == SqlTokenKind.QuotedIdentifier
                    || (all[word].Kind == SqlTokenKind.Identifier && (first || TypeWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(all[word].Text(text))))))
            {
                break;
            }

            first = false;
            i = word + 1;
            while (i < all.Count && all[i].Kind == SqlTokenKind.Dot)
            {
                i += i + 1 < all.Count && all[i + 1].Kind == SqlTokenKind.Identifier ? 2 : 1;
            }

            i = AfterTypeModifier(all, i);
        }

        while (i + 1 < all.Count && all[i].Kind == SqlTokenKind.OpenBracket && all[i + 1].Kind == SqlTokenKind.CloseBracket)
        {
            i += 2;
        }

        return i;
    }

    /// <summary>Past the type modifier at <paramref name="i"/>, numbers in parentheses, if there is one.</summary>
    private static int AfterTypeModifier(List<SqlToken> all, int i)
    {
        if (i >= all.Count || all[i].Kind != SqlTokenKind.OpenParen)
        {
            return i;
        }

        for (var k = i + 1; k < all.Count; k++)
        {
            if (all[k].Kind == SqlTokenKind.CloseParen)
            {
                return k + 1;
            }

            if (all[k].Kind is not (SqlTokenKind.Number or SqlTokenKind.Comma or SqlTokenKind.Whitespace))
            {
                break;
            }
        }

        return i;
    }
}
