using System.Buffers;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Reduces a PostgreSQL statement to its shape, so that the commands one code path sends can be counted
/// together whatever values they carry: <c>SELECT * FROM t WHERE id = 42</c> and
/// <c>select * from t where id = @p0</c> differ only in case, and <c>WHERE id = $1</c> in nothing at all.
/// </summary>
/// <remarks>
/// <para>
/// What becomes the placeholder <c>?</c>: string constants (<c>'it''s'</c>, <c>E'\n'</c>, <c>B'01'</c>,
/// <c>X'ff'</c>, <c>U&amp;'…'</c>, dollar-quoted <c>$$…$$</c> and <c>$tag$…$tag$</c>), numeric constants
/// (<c>42</c>, <c>-1.5e3</c>, <c>0x1F</c>, <c>1_000</c>; a sign belongs to the number only where a binary
/// minus cannot stand, as in <c>= -1</c>, not in <c>a -1</c>), and parameters (<c>$1</c>, <c>@p0</c>,
/// <c>:name</c>). A list of placeholders in <c>IN (…)</c> or <c>ARRAY[…]</c> becomes <c>(?...)</c> / <c>[?...]</c>
/// whatever its length (one element included), and the identical rows of a multi-row <c>VALUES</c> become the
/// first row followed by <c>...</c>: <c>VALUES (?, ?), (?, ?)</c> is <c>VALUES (?, ?)...</c>.
/// </para>
/// <para>
/// Comments (<c>--</c> and nested <c>/* */</c>) are dropped, every run of whitespace becomes one space, and
/// trailing semicolons are trimmed. Keywords and identifiers are kept exactly as written: nothing is
/// lowercased, quoted identifiers (<c>"Recipe2"</c>) are copied verbatim, and digits inside names
/// (<c>t1</c>, <c>p0_id</c>) are never taken for numbers. Positional references such as <c>ORDER BY 1</c>
/// are numbers like any other and become <c>?</c>, as in <c>pg_stat_statements</c>.
/// </para>
/// <para>
/// One pass over the text, no regular expressions, one string allocated for the result. The caller memoises
/// when the same text recurs.
/// </para>
/// </remarks>
internal static class SqlNormalizer
{
    /// <summary>The placeholder that replaces every constant and parameter.</summary>
    public const char Placeholder = '?';

    /// <summary>Returns the normalised text of <paramref name="sql"/>.</summary>
    /// <param name="sql">One statement (or several separated by semicolons) as sent to PostgreSQL.</param>
    /// <returns>The statement's shape, e.g. <c>SELECT name FROM recipes WHERE id IN (?...)</c>.</returns>
    public static string Normalize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var scanner = new Scanner(sql);
        try
        {
            return scanner.Run();
        }
        finally
        {
            scanner.Return();
        }
    }

    /// <summary>
    /// A short, stable fingerprint of a normalised statement: the first 8 bytes of its UTF-8 SHA-256, as 16
    /// lowercase hexadecimal digits. It is the same on every machine and in every process, so it can be
    /// committed in an allow-list.
    /// </summary>
    /// <param name="normalizedSql">The output of <see cref="Normalize"/>.</param>
    /// <returns>For example <c>3f2a9c0d41be7e55</c>.</returns>
    public static string Fingerprint(string normalizedSql)
    {
        ArgumentNullException.ThrowIfNull(normalizedSql);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(normalizedSql.Length);
        byte[]? rented = null;
        Span<byte> bytes = maxBytes <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var count = Encoding.UTF8.GetBytes(normalizedSql, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..count], hash);
            return Convert.ToHexStringLower(hash[..8]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Words after which a <c>-</c> or <c>+</c> is a sign, not a binary operator.</summary>
    private static readonly FrozenSet<string> OperandKeywords = new[]
    {
        "SELECT", "WHERE", "AND", "OR", "NOT", "THEN", "ELSE", "WHEN", "CASE", "BETWEEN", "ON", "HAVING",
        "RETURNING", "LIMIT", "OFFSET", "LIKE", "ILIKE", "IS", "SET", "BY", "DISTINCT", "FETCH", "FIRST", "NEXT",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> OperandKeywordLookup =
        OperandKeywords.GetAlternateLookup<ReadOnlySpan<char>>();

    private enum Token
    {
        Start,
        Operand,
        Word,
        Operator,
        Open,
        Comma,
    }

    private enum Group
    {
        Plain,
        InList,
        ArrayList,
        ValuesFirstRow,
        ValuesNextRow,
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || (c > 127 && char.IsLetter(c));

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$';

    private struct Scanner
    {
        private readonly string _sql;
        private char[] _out;
        private int _length;
        private (int Position, Group Kind)[] _groups;
        private int _depth;
        private Token _previous;
        private int _wordStart;
        private int _wordEnd;
        private bool _space;

        // Multi-row VALUES: the first row's text and where the last kept row (or its "...") ends.
        private int _valuesDepth;
        private int _firstRowStart;
        private int _firstRowEnd;
        private int _rowsEnd;

        public Scanner(string sql)
        {
            _sql = sql;
            _out = ArrayPool<char>.Shared.Rent(Math.Max(16, sql.Length + 8));
            _groups = ArrayPool<(int, Group)>.Shared.Rent(16);
            _previous = Token.Start;
            _rowsEnd = -1;
        }

        public readonly void Return()
        {
            ArrayPool<char>.Shared.Return(_out);
            ArrayPool<(int, Group)>.Shared.Return(_groups);
        }

        public string Run()
        {
            var sql = _sql;
            var i = 0;
            while (i < sql.Length)
            {
                var c = sql[i];
                var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
                if (char.IsWhiteSpace(c))
                {
                    _space = true;
                    i++;
                }
                else if (c == '-' && next == '-')
                {
                    i = sql.IndexOf('\n', i);
                    i = i < 0 ? sql.Length : i;
                    _space = true;
                }
                else if (c == '/' && next == '*')
                {
                    i = SkipBlockComment(i);
                    _space = true;
                }
                else if (c == '\'')
                {
                    i = SkipString(i, escapes: false);
                    EmitPlaceholder();
                }
                else if (c == '"')
                {
                    i = CopyQuotedIdentifier(i, i);
                }
                else if (c == '$')
                {
                    i = Dollar(i);
                }
                else if (IsIdentifierStart(c))
                {
                    i = Word(i);
                }
                else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(next)))
                {
                    i = SkipNumber(i);
                    EmitPlaceholder();
                }
                else if ((c == '-' || c == '+') && _previous != Token.Operand && !IsOperandWord() && StartsValue(i + 1))
                {
                    // A sign: dropped, and the number or parameter that follows becomes the placeholder.
                    i++;
                }
                else if ((c == '@' || c == ':') && IsNamedParameter(i))
                {
                    i++;
                    while (i < sql.Length && IsIdentifierPart(sql[i]))
                    {
                        i++;
                    }

                    EmitPlaceholder();
                }
                else if (c == ':' && next == ':')
                {
                    Emit(':');
                    Append(':');
                    _previous = Token.Operator;
                    i += 2;
                }
                else
                {
                    Punctuation(c);
                    i++;
                }
            }

            while (_length > 0 && (_out[_length - 1] == ';' || _out[_length - 1] == ' '))
            {
                _length--;
            }

            return new string(_out, 0, _length);
        }

        private readonly bool IsOperandWord()
        {
            // An identifier before a sign makes it a binary operator (a -1); a keyword makes it a sign (SELECT -1).
            return _previous == Token.Word && !OperandKeywordLookup.Contains(_out.AsSpan(_wordStart, _wordEnd - _wordStart));
        }

        private readonly bool StartsValue(int i)
        {
            var sql = _sql;
            if (i >= sql.Length)
            {
                return false;
            }

            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            return char.IsAsciiDigit(c)
                || (c == '.' && char.IsAsciiDigit(next))
                || (c == '$' && char.IsAsciiDigit(next))
                || ((c == '@' || c == ':') && IsNamedParameter(i));
        }

        private readonly bool IsNamedParameter(int i)
        {
            var sql = _sql;
            if (i + 1 >= sql.Length || !IsIdentifierStart(sql[i + 1]))
            {
                return false;
            }

            var before = i > 0 ? sql[i - 1] : ' ';
            if (IsIdentifierPart(before) || before is '"' or ')' or ']')
            {
                return false; // a[lo:hi], x@y
            }

            // ':' must not be part of '::'; '@' must not finish the operators <@ and @@.
            return sql[i] == ':' ? before != ':' : before is not ('<' or '@');
        }

        private int Word(int start)
        {
            var sql = _sql;
            var end = start + 1;
            while (end < sql.Length && IsIdentifierPart(sql[end]))
            {
                end++;
            }

            var length = end - start;
            var after = end < sql.Length ? sql[end] : '\0';
            if (length == 1 && after == '\'' && sql[start] is 'E' or 'e' or 'B' or 'b' or 'X' or 'x' or 'N' or 'n')
            {
                var next = SkipString(end, escapes: sql[start] is 'E' or 'e');
                EmitPlaceholder();
                return next;
            }

            if (length == 1 && sql[start] is 'U' or 'u' && after == '&' && end + 1 < sql.Length)
            {
                if (sql[end + 1] == '\'')
                {
                    var next = SkipString(end + 1, escapes: false);
                    EmitPlaceholder();
                    return next;
                }

                if (sql[end + 1] == '"')
                {
                    return CopyQuotedIdentifier(start, end + 1);
                }
            }

            Emit(sql[start]);
            _wordStart = _length - 1;
            for (var k = start + 1; k < end; k++)
            {
                Append(sql[k]);
            }

            _wordEnd = _length;
            _previous = Token.Word;
            return end;
        }

        private int CopyQuotedIdentifier(int start, int quote)
        {
            var sql = _sql;
            var end = quote + 1;
            while (end < sql.Length)
            {
                if (sql[end] == '"')
                {
                    if (end + 1 < sql.Length && sql[end + 1] == '"')
                    {
                        end += 2;
                        continue;
                    }

                    end++;
                    break;
                }

                end++;
            }

            Emit(sql[start]);
            for (var k = start + 1; k < end; k++)
            {
                Append(sql[k]);
            }

            _previous = Token.Operand;
            return end;
        }

        private readonly int SkipString(int quote, bool escapes)
        {
            var sql = _sql;
            var i = quote + 1;
            while (i < sql.Length)
            {
                var c = sql[i];
                if (escapes && c == '\\')
                {
                    i += 2;
                }
                else if (c == '\'')
                {
                    if (i + 1 < sql.Length && sql[i + 1] == '\'')
                    {
                        i += 2;
                    }
                    else
                    {
                        return i + 1;
                    }
                }
                else
                {
                    i++;
                }
            }

            return sql.Length;
        }

        private readonly int SkipBlockComment(int start)
        {
            // PostgreSQL block comments nest.
            var sql = _sql;
            var depth = 0;
            var i = start;
            while (i < sql.Length)
            {
                if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
                {
                    depth++;
                    i += 2;
                }
                else if (sql[i] == '*' && i + 1 < sql.Length && sql[i + 1] == '/')
                {
                    depth--;
                    i += 2;
                    if (depth == 0)
                    {
                        return i;
                    }
                }
                else
                {
                    i++;
                }
            }

            return sql.Length;
        }

        private readonly int SkipNumber(int start)
        {
            var sql = _sql;
            var i = start;
            if (sql[i] == '0' && i + 2 < sql.Length && sql[i + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B' && char.IsAsciiHexDigit(sql[i + 2]))
            {
                i += 2;
                while (i < sql.Length && (char.IsAsciiHexDigit(sql[i]) || sql[i] == '_'))
                {
                    i++;
                }

                return i;
            }

            while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '_'))
            {
                i++;
            }

            if (i < sql.Length && sql[i] == '.' && !(i + 1 < sql.Length && sql[i + 1] == '.'))
            {
                i++;
                while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '_'))
                {
                    i++;
                }
            }

            if (i < sql.Length && sql[i] is 'e' or 'E')
            {
                var j = i + 1;
                if (j < sql.Length && sql[j] is '+' or '-')
                {
                    j++;
                }

                if (j < sql.Length && char.IsAsciiDigit(sql[j]))
                {
                    i = j;
                    while (i < sql.Length && char.IsAsciiDigit(sql[i]))
                    {
                        i++;
                    }
                }
            }

            return i;
        }

        private int Dollar(int start)
        {
            var sql = _sql;
            var i = start + 1;
            if (i < sql.Length && char.IsAsciiDigit(sql[i]))
            {
                while (i < sql.Length && char.IsAsciiDigit(sql[i]))
                {
                    i++;
                }

                EmitPlaceholder();
                return i;
            }

            // $$ or $tag$: the tag is an identifier without '$'.
            if (i < sql.Length && IsIdentifierStart(sql[i]))
            {
                i++;
                while (i < sql.Length && IsIdentifierPart(sql[i]) && sql[i] != '$')
                {
                    i++;
                }
            }

            if (i < sql.Length && sql[i] == '$')
            {
                var tag = sql.AsSpan(start, i - start + 1);
                var close = sql.AsSpan(i + 1).IndexOf(tag, StringComparison.Ordinal);
                EmitPlaceholder();
                return close < 0 ? sql.Length : i + 1 + close + tag.Length;
            }

            Punctuation('$');
            return start + 1;
        }

        private void Punctuation(char c)
        {
            switch (c)
            {
                case '(':
                case '[':
                    var kind = Group.Plain;
                    if (_previous == Token.Word)
                    {
                        var word = _out.AsSpan(_wordStart, _wordEnd - _wordStart);
                        if (c == '(' && word.Equals("IN", StringComparison.OrdinalIgnoreCase))
                        {
                            kind = Group.InList;
                        }
                        else if (c == '[' && word.Equals("ARRAY", StringComparison.OrdinalIgnoreCase))
                        {
                            kind = Group.ArrayList;
                        }
                        else if (c == '(' && word.Equals("VALUES", StringComparison.OrdinalIgnoreCase))
                        {
                            kind = Group.ValuesFirstRow;
                        }
                    }
                    else if (c == '(' && _previous == Token.Comma && _rowsEnd >= 0 && _depth == _valuesDepth && FollowsLastRow())
                    {
                        kind = Group.ValuesNextRow;
                    }

                    Emit(c);
                    Push(_length - 1, kind);
                    _previous = Token.Open;
                    break;
                case ')':
                case ']':
                    Close(c);
                    break;
                case ',':
                    Emit(c);
                    _previous = Token.Comma;
                    break;
                default:
                    Emit(c);
                    _previous = Token.Operator;
                    break;
            }
        }

        private readonly bool FollowsLastRow()
        {
            // Only ", " separates this row from the last kept row of the same VALUES list.
            return _rowsEnd <= _length && _out.AsSpan(_rowsEnd, _length - _rowsEnd).Trim(' ').SequenceEqual(",");
        }

        private void Close(char c)
        {
            if (_depth == 0)
            {
                Emit(c);
                _previous = Token.Operand;
                return;
            }

            var (open, kind) = _groups[--_depth];
            if ((kind is Group.InList or Group.ArrayList) && IsPlaceholderList(_out.AsSpan(open + 1, _length - open - 1)))
            {
                _length = open + 1;
                _space = false;
                Append(Placeholder);
                Append('.');
                Append('.');
                Append('.');
            }

            Emit(c);
            _previous = Token.Operand;
            if (kind == Group.ValuesFirstRow)
            {
                _valuesDepth = _depth;
                _firstRowStart = open;
                _firstRowEnd = _length;
                _rowsEnd = _length;
            }
            else if (kind == Group.ValuesNextRow)
            {
                var row = _out.AsSpan(open, _length - open);
                if (row.SequenceEqual(_out.AsSpan(_firstRowStart, _firstRowEnd - _firstRowStart)))
                {
                    _length = _rowsEnd;
                    if (_rowsEnd == _firstRowEnd)
                    {
                        Append('.');
                        Append('.');
                        Append('.');
                    }

                    _rowsEnd = _length;
                }
                else
                {
                    _rowsEnd = -1;
                }
            }
        }

        private static bool IsPlaceholderList(ReadOnlySpan<char> items)
        {
            var expectItem = true;
            var any = false;
            foreach (var c in items)
            {
                if (c == ' ')
                {
                    continue;
                }

                if (expectItem && c == Placeholder)
                {
                    expectItem = false;
                    any = true;
                }
                else if (!expectItem && c == ',')
                {
                    expectItem = true;
                }
                else
                {
                    return false;
                }
            }

            return any && !expectItem;
        }

        private void Push(int position, Group kind)
        {
            if (_depth == _groups.Length)
            {
                var larger = ArrayPool<(int, Group)>.Shared.Rent(_groups.Length * 2);
                _groups.AsSpan().CopyTo(larger);
                ArrayPool<(int, Group)>.Shared.Return(_groups);
                _groups = larger;
            }

            _groups[_depth++] = (position, kind);
        }

        private void EmitPlaceholder()
        {
            Emit(Placeholder);
            _previous = Token.Operand;
        }

        /// <summary>Appends <paramref name="c"/>, preceded by one space when whitespace or a comment came before it.</summary>
        private void Emit(char c)
        {
            if (_space && _length > 0)
            {
                Append(' ');
            }

            _space = false;
            Append(c);
        }

        private void Append(char c)
        {
            if (_length == _out.Length)
            {
                var larger = ArrayPool<char>.Shared.Rent(_out.Length * 2);
                _out.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<char>.Shared.Return(_out);
                _out = larger;
            }

            _out[_length++] = c;
        }
    }
}
