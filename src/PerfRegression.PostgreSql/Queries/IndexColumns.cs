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

    private enum Kind
    {
        Name,
        Value,
        Open,
        Close,
        Dot,
        Operator,
        Other,
    }

    private readonly record struct Token(Kind Kind, int Start, int End);

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
            if (tokens[d].Kind == Kind.Dot && tokens[d - 1].Kind == Kind.Name && tokens[d + 1].Kind == Kind.Name)
            {
                // schema.function(…) is a call, not another relation's column.
                var qualifier = text[tokens[d - 1].Start..tokens[d - 1].End].Trim('"');
                var call = d + 2 < tokens.Count && tokens[d + 2].Kind == Kind.Open;
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
            if (k + 1 < tokens.Count && tokens[k + 1].Kind == Kind.Open)
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

    private static bool ReadsColumn(string text, List<Token> tokens, bool[] foreign, int from, int to)
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
    private static bool IsColumn(string text, List<Token> tokens, bool[] foreign, int k) =>
        tokens[k].Kind == Kind.Name
        && !foreign[k]
        && !IsKeyword(text, tokens[k])
        && !(k + 1 < tokens.Count && tokens[k + 1].Kind == Kind.Dot);

    private static int MatchingClose(List<Token> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            depth += tokens[i].Kind switch
            {
                Kind.Open => 1,
                Kind.Close => -1,
                _ => 0,
            };
            if (depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsEqualityAfter(string text, List<Token> tokens, int i)
    {
        while (i < tokens.Count && tokens[i].Kind == Kind.Close)
        {
            i++;
        }

        if (i >= tokens.Count)
        {
            return true; // a boolean column on its own: (is_published)
        }

        var token = text.AsSpan(tokens[i].Start, tokens[i].End - tokens[i].Start);
        return token.SequenceEqual("=") || token.Equals("IS", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsKeyword(string text, Token token) =>
        Keywords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(text.AsSpan(token.Start, token.End - token.Start));

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '\'')
            {
                i = SkipQuoted(text, i, '\'');
                tokens.Add(new Token(Kind.Value, start, i));
            }
            else if (c == '"')
            {
                i = SkipQuoted(text, i, '"');
                tokens.Add(new Token(Kind.Name, start, i));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                i = SkipWord(text, i);
                tokens.Add(new Token(Kind.Name, start, i));
            }
            else if (char.IsAsciiDigit(c) || (c == '$' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or '_' or 'e' or 'E'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Value, start, i));
            }
            else if (c == ':' && i + 1 < text.Length && text[i + 1] == ':')
            {
                i = SkipTypeName(text, i + 2); // a cast: the type is not a column
            }
            else if (c is '(' or '[')
            {
                i++;
                tokens.Add(new Token(Kind.Open, start, i));
            }
            else if (c is ')' or ']')
            {
                i++;
                tokens.Add(new Token(Kind.Close, start, i));
            }
            else if (c == '.')
            {
                i++;
                tokens.Add(new Token(Kind.Dot, start, i));
            }
            else if ("+-*/<>=~!@#%^&|`?".Contains(c, StringComparison.Ordinal))
            {
                while (i < text.Length && "+-*/<>=~!@#%^&|`?".Contains(text[i], StringComparison.Ordinal))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Operator, start, i));
            }
            else
            {
                i++;
                tokens.Add(new Token(Kind.Other, start, i));
            }
        }

        return tokens;
    }

    private static int SkipTypeName(string text, int i)
    {
        var first = true;
        while (true)
        {
            var word = i;
            while (word < text.Length && text[word] == ' ')
            {
                word++;
            }

            if (word < text.Length && text[word] == '"')
            {
                i = SkipQuoted(text, word, '"');
            }
            else if (word < text.Length && (char.IsLetter(text[word]) || text[word] == '_'))
            {
                var end = SkipWord(text, word);
                if (!first && !TypeWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(text.AsSpan(word, end - word)))
                {
                    return i;
                }

                i = end;
            }
            else
            {
                break;
            }

            first = false;
            while (i < text.Length && text[i] == '.')
            {
                i = SkipWord(text, i + 1); // pg_catalog.text
            }
        }

        // Array brackets: ::integer[]
        while (i + 1 < text.Length && text[i] == '[' && text[i + 1] == ']')
        {
            i += 2;
        }

        return i;
    }

    private static int SkipWord(string text, int i)
    {
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$'))
        {
            i++;
        }

        return i;
    }

    private static int SkipQuoted(string text, int i, char quote)
    {
        i++;
        while (i < text.Length)
        {
            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return text.Length;
    }
}
