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
/// One pass over the tokens of <see cref="SqlLexer"/>, no regular expressions, one string allocated for the
/// result. The caller memoises when the same text recurs.
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

    private struct Scanner
    {
        private const string Ellipsis = "...";
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
            var sql = _sql.AsSpan();
            var lexer = new SqlLexer(sql);
            while (lexer.MoveNext())
            {
                var token = lexer.Current;
                var text = token.Text(sql);
                switch (token.Kind)
                {
                    case SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment:
                        _space = true;
                        break;
                    case SqlTokenKind.Identifier:
                        Emit(text);
                        _wordStart = _length - text.Length;
                        _wordEnd = _length;
                        _previous = Token.Word;
                        break;
                    case SqlTokenKind.QuotedIdentifier:
                        Emit(text);
                        _previous = Token.Operand;
                        break;
                    case SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket:
                        Open(text[0]);
                        break;
                    case SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket:
                        Close(text[0]);
                        break;
                    case SqlTokenKind.Comma:
                        Emit(text);
                        _previous = Token.Comma;
                        break;
                    case SqlTokenKind.Operator when IsSign(text, in lexer):
                        break; // dropped: the number or parameter that follows becomes the placeholder
                    case SqlTokenKind.Operator or SqlTokenKind.Dot or SqlTokenKind.Semicolon or SqlTokenKind.Other:
                        Emit(text);
                        _previous = Token.Operator;
                        break;
                    default:
                        EmitPlaceholder(); // strings, numbers, parameters
                        break;
                }
            }

            _length = _out.AsSpan(0, _length).TrimEnd("; ").Length;
            return new string(_out, 0, _length);
        }

        /// <summary>A <c>-</c> or <c>+</c> right before a number or parameter, where no binary operator can stand.</summary>
        private readonly bool IsSign(ReadOnlySpan<char> text, in SqlLexer lexer)
        {
            if (text is not ("-" or "+") || _previous == Token.Operand || IsOperandWord())
            {
                return false;
            }

            var next = lexer.Peek();
            return next.Start == lexer.Current.End
                && next.Kind is SqlTokenKind.Number or SqlTokenKind.PositionalParameter or SqlTokenKind.NamedParameter;
        }

        private readonly bool IsOperandWord()
        {
            // An identifier before a sign makes it a binary operator (a -1); a keyword makes it a sign (SELECT -1).
            return _previous == Token.Word && !OperandKeywordLookup.Contains(_out.AsSpan(_wordStart, _wordEnd - _wordStart));
        }

        private void Open(char c)
        {
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

            Emit([c]);
            Push(_length - 1, kind);
            _previous = Token.Open;
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
                Emit([c]);
                _previous = Token.Operand;
                return;
            }

            var (open, kind) = _groups[--_depth];
            if ((kind is Group.InList or Group.ArrayList) && IsPlaceholderList(_out.AsSpan(open + 1, _length - open - 1)))
            {
                _length = open + 1;
                _space = false;
                Append([Placeholder]);
                Append(Ellipsis);
            }

            Emit([c]);
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
                        Append(Ellipsis);
                    }

                    _rowsEnd = _length;
                }
                else
                {
                    _rowsEnd = -1;
                }
            }
        }

        /// <summary>Whether the normalised text of a group is placeholders separated by commas, and nothing else.</summary>
        private static bool IsPlaceholderList(ReadOnlySpan<char> items)
        {
            var expectItem = true;
            foreach (var token in new SqlLexer(items, placeholders: true))
            {
                if (token.Kind == SqlTokenKind.Whitespace)
                {
                    continue;
                }

                if (expectItem && token.Kind == SqlTokenKind.Placeholder)
                {
                    expectItem = false;
                }
                else if (!expectItem && token.Kind == SqlTokenKind.Comma)
                {
                    expectItem = true;
                }
                else
                {
                    return false;
                }
            }

            return !expectItem;
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
            Emit([Placeholder]);
            _previous = Token.Operand;
        }

        /// <summary>Appends <paramref name="text"/>, preceded by one space when whitespace or a comment came before it.</summary>
        private void Emit(ReadOnlySpan<char> text)
        {
            if (_space && _length > 0)
            {
                Append(" ");
            }

            _space = false;
            Append(text);
        }

        private void Append(ReadOnlySpan<char> text)
        {
            if (_length + text.Length > _out.Length)
            {
                var larger = ArrayPool<char>.Shared.Rent(Math.Max(_out.Length * 2, _length + text.Length));
                _out.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<char>.Shared.Return(_out);
                _out = larger;
            }

            text.CopyTo(_out.AsSpan(_length));
            _length += text.Length;
        }
    }
}
