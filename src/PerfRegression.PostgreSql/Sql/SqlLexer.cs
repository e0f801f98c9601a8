using System.Buffers;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Splits SQL text into tokens by PostgreSQL's lexical rules (<c>scan.l</c>), the one place in the package
/// that reads SQL character by character. Every character belongs to exactly one token, so the tokens' texts
/// put together are the input; input PostgreSQL would reject (an unterminated string, a lone <c>$</c>) still
/// yields tokens, never an exception. A ref struct over a span: <c>foreach</c> over it allocates nothing.
/// </summary>
/// <remarks>
/// Beyond PostgreSQL: <c>@name</c> and <c>:name</c> are parameters, as Npgsql rewrites them, unless the
/// character before makes them part of an expression (<c>a[lo:hi]</c>, <c>x@y</c>, <c>tags&lt;@other</c>);
/// and with <c>placeholders</c> on, <c>?</c> is the placeholder of normalised text rather than an operator
/// character (<c>id=?</c> is then <c>id</c>, <c>=</c>, <c>?</c>).
/// </remarks>
internal ref struct SqlLexer
{
    // PostgreSQL's op_chars, and those that let a multi-character operator end in + or -.
    private static readonly SearchValues<char> OperatorChars = SearchValues.Create("~!@#^&|`?+-*/%<>=");
    private static readonly SearchValues<char> NonSqlOperatorChars = SearchValues.Create("~!@#^&|`?%");
    private static readonly SearchValues<char> LineEnds = SearchValues.Create("\r\n");

    private readonly ReadOnlySpan<char> _sql;
    private readonly bool _placeholders;
    private int _position;

    /// <summary>Reads <paramref name="sql"/>; <paramref name="placeholders"/> reads <c>?</c> as <see cref="SqlTokenKind.Placeholder"/>.</summary>
    public SqlLexer(ReadOnlySpan<char> sql, bool placeholders = false)
    {
        _sql = sql;
        _placeholders = placeholders;
        _position = 0;
        Current = default;
    }

    /// <summary>The token read by the last <see cref="MoveNext"/>.</summary>
    public SqlToken Current { get; private set; }

    /// <summary>Lets <c>foreach</c> read the tokens.</summary>
    public readonly SqlLexer GetEnumerator() => this;

    /// <summary>The token after <see cref="Current"/>, without moving on; <see langword="default"/> at the end.</summary>
    public readonly SqlToken Peek()
    {
        var copy = this;
        return copy.MoveNext() ? copy.Current : default;
    }

    /// <summary>Reads the next token; <see langword="false"/> at the end of the text.</summary>
    public bool MoveNext()
    {
        var start = _position;
        if (start >= _sql.Length)
        {
            Current = default;
            return false;
        }

        var (kind, end, terminated) = Read(start);
        Current = new SqlToken(kind, start, end - start, !terminated);
        _position = end;
        return true;
    }

    /// <summary>An identifier's first character: a letter or <c>_</c>.</summary>
    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || (c > 127 && char.IsLetter(c));

    /// <summary>An identifier's later characters: also digits and <c>$</c>.</summary>
    public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$';

    private readonly (SqlTokenKind Kind, int End, bool Terminated) Read(int start)
    {
        var sql = _sql;
        var c = sql[start];
        var next = At(start + 1);
        if (char.IsWhiteSpace(c))
        {
            var end = start + 1;
            while (end < sql.Length && char.IsWhiteSpace(sql[end]))
            {
                end++;
            }

            return (SqlTokenKind.Whitespace, end, true);
        }

        if (c == '-' && next == '-')
        {
            var end = sql[start..].IndexOfAny(LineEnds);
            return (SqlTokenKind.LineComment, end < 0 ? sql.Length : start + end, true);
        }

        if (c == '/' && next == '*')
        {
            return BlockComment(start);
        }

        if (c == '\'')
        {
            return Quoted(SqlTokenKind.String, start, '\'', escapes: false);
        }

        if (c == '"')
        {
            return Quoted(SqlTokenKind.QuotedIdentifier, start, '"', escapes: false);
        }

        if (c == '$')
        {
            return Dollar(start);
        }

        if (IsIdentifierStart(c))
        {
            return Word(start);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(next)))
        {
            return (SqlTokenKind.Number, Number(start), true);
        }

        if (c == '?' && _placeholders)
        {
            return (SqlTokenKind.Placeholder, start + 1, true);
        }

        if ((c == '@' || c == ':') && IsNamedParameter(start))
        {
            var end = start + 2;
            while (end < sql.Length && IsIdentifierPart(sql[end]) && sql[end] != '$')
            {
                end++;
            }

            return (SqlTokenKind.NamedParameter, end, true);
        }

        if ((c == ':' && next is ':' or '=') || (c == '.' && next == '.'))
        {
            return (SqlTokenKind.Operator, start + 2, true); // :: := ..
        }

        if (OperatorChars.Contains(c))
        {
            return (SqlTokenKind.Operator, Operator(start), true);
        }

        var single = c switch
        {
            '(' => SqlTokenKind.OpenParen,
            ')' => SqlTokenKind.CloseParen,
            '[' => SqlTokenKind.OpenBracket,
            ']' => SqlTokenKind.CloseBracket,
            ',' => SqlTokenKind.Comma,
            ';' => SqlTokenKind.Semicolon,
            '.' => SqlTokenKind.Dot,
            ':' => SqlTokenKind.Operator,
            _ => SqlTokenKind.Other,
        };
        return (single, start + 1, true);
    }

    private readonly char At(int i) => i < _sql.Length ? _sql[i] : '\0';

    private readonly (SqlTokenKind, int, bool) Word(int start)
    {
        var sql = _sql;
        var next = At(start + 1);
        if (next == '\'')
        {
            switch (sql[start])
            {
                case 'E' or 'e':
                    return Quoted(SqlTokenKind.EscapeString, start, '\'', escapes: true);
                case 'B' or 'b' or 'X' or 'x':
                    return Quoted(SqlTokenKind.BitString, start, '\'', escapes: false);
                case 'N' or 'n':
                    return Quoted(SqlTokenKind.String, start, '\'', escapes: false);
            }
        }

        if (sql[start] is 'U' or 'u' && next == '&' && At(start + 2) is '\'' or '"')
        {
            return At(start + 2) == '\''
                ? Quoted(SqlTokenKind.UnicodeString, start, '\'', escapes: false)
                : Quoted(SqlTokenKind.QuotedIdentifier, start, '"', escapes: false);
        }

        var end = start + 1;
        while (end < sql.Length && IsIdentifierPart(sql[end]))
        {
            end++;
        }

        return (SqlTokenKind.Identifier, end, true);
    }

    /// <summary>A quoted token from its prefix at <paramref name="start"/>: a doubled quote is a quote, and with <paramref name="escapes"/> a backslash escapes the next character.</summary>
    private readonly (SqlTokenKind, int, bool) Quoted(SqlTokenKind kind, int start, char quote, bool escapes)
    {
        var sql = _sql;
        var i = sql.Slice(start).IndexOf(quote) + start + 1;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (escapes && c == '\\')
            {
                i += 2;
            }
            else if (c != quote)
            {
                i++;
            }
            else if (At(i + 1) == quote)
            {
                i += 2;
            }
            else
            {
                return (kind, i + 1, true);
            }
        }

        return (kind, sql.Length, false);
    }

    private readonly (SqlTokenKind, int, bool) BlockComment(int start)
    {
        var sql = _sql;
        var depth = 0;
        var i = start;
        while (i + 1 < sql.Length)
        {
            if (sql[i] == '/' && sql[i + 1] == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && sql[i + 1] == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    return (SqlTokenKind.BlockComment, i, true);
                }
            }
            else
            {
                i++;
            }
        }

        return (SqlTokenKind.BlockComment, sql.Length, false);
    }

    /// <summary><c>$1</c>, <c>$$…$$</c> or <c>$tag$…$tag$</c> (a tag is an identifier without <c>$</c>), else a lone <c>$</c>.</summary>
    private readonly (SqlTokenKind, int, bool) Dollar(int start)
    {
        var sql = _sql;
        var i = start + 1;
        if (char.IsAsciiDigit(At(i)))
        {
            while (char.IsAsciiDigit(At(i)))
            {
                i++;
            }

            return (SqlTokenKind.PositionalParameter, i, true);
        }

        if (IsIdentifierStart(At(i)))
        {
            while (IsIdentifierPart(At(i)) && sql[i] != '$')
            {
                i++;
            }
        }

        if (At(i) != '$')
        {
            return (SqlTokenKind.Other, start + 1, true);
        }

        var tag = sql[start..(i + 1)];
        var close = sql[(i + 1)..].IndexOf(tag);
        return close < 0
            ? (SqlTokenKind.DollarString, sql.Length, false)
            : (SqlTokenKind.DollarString, i + 1 + close + tag.Length, true);
    }

    private readonly int Number(int start)
    {
        var sql = _sql;
        if (sql[start] == '0' && At(start + 1) is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            var radix = At(start + 1) is 'x' or 'X' ? 16 : At(start + 1) is 'o' or 'O' ? 8 : 2;
            if (IsDigit(At(start + 2), radix))
            {
                return Digits(start + 2, radix);
            }
        }

        var i = Digits(start, 10);
        if (At(i) == '.' && At(i + 1) != '.')
        {
            i = Digits(i + 1, 10);
        }

        if (At(i) is 'e' or 'E')
        {
            var exponent = At(i + 1) is '+' or '-' ? i + 2 : i + 1;
            if (char.IsAsciiDigit(At(exponent)))
            {
                i = Digits(exponent, 10);
            }
        }

        return i;
    }

    /// <summary>Digits of <paramref name="radix"/>, single underscores between them allowed (PostgreSQL 16).</summary>
    private readonly int Digits(int i, int radix)
    {
        while (IsDigit(At(i), radix) || (At(i) == '_' && IsDigit(At(i + 1), radix) && i > 0 && IsDigit(_sql[i - 1], radix)))
        {
            i++;
        }

        return i;
    }

    private static bool IsDigit(char c, int radix) => radix switch
    {
        16 => char.IsAsciiHexDigit(c),
        8 => c is >= '0' and <= '7',
        2 => c is '0' or '1',
        _ => char.IsAsciiDigit(c),
    };

    /// <summary>
    /// PostgreSQL's operator: the longest run of operator characters, cut before a comment start, and not
    /// ending in <c>+</c> or <c>-</c> unless it holds a character no SQL-standard operator has (so <c>=-1</c>
    /// is <c>=</c> and <c>-</c>, while <c>@-</c> is one operator). Also cut before a named parameter (<c>=@id</c>)
    /// and, in normalised text, before a placeholder.
    /// </summary>
    private readonly int Operator(int start)
    {
        var sql = _sql;
        var end = start + 1;
        while (end < sql.Length && OperatorChars.Contains(sql[end]))
        {
            var c = sql[end];
            if ((c == '-' && At(end + 1) == '-') || (c == '/' && At(end + 1) == '*') || (c == '?' && _placeholders) || (c == '@' && IsNamedParameter(end)))
            {
                break;
            }

            end++;
        }

        if (end - start > 1 && sql[end - 1] is '+' or '-' && !sql[start..(end - 1)].ContainsAny(NonSqlOperatorChars))
        {
            do
            {
                end--;
            }
            while (end - start > 1 && sql[end - 1] is '+' or '-');
        }

        return end;
    }

    /// <summary>
    /// Whether the <c>@</c> or <c>:</c> at <paramref name="i"/> starts a parameter name: a letter follows, and
    /// what comes before is no name or closing bracket (<c>x@y</c>, <c>a[lo:hi]</c>, <c>f(x)::int</c>) nor the
    /// start of the operators <c>&lt;@</c>, <c>@@</c> and <c>::</c>.
    /// </summary>
    private readonly bool IsNamedParameter(int i)
    {
        if (!IsIdentifierStart(At(i + 1)))
        {
            return false;
        }

        var before = i > 0 ? _sql[i - 1] : ' ';
        if (IsIdentifierPart(before) || before is '"' or ')' or ']')
        {
            return false;
        }

        return _sql[i] == ':' ? before != ':' : before is not ('<' or '@');
    }
}
