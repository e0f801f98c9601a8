namespace PerfRegression.PostgreSql;

/// <summary>What a <see cref="SqlToken"/> is, by PostgreSQL's lexical rules.</summary>
internal enum SqlTokenKind : byte
{
    /// <summary>A run of whitespace.</summary>
    Whitespace,

    /// <summary><c>-- …</c> up to, not including, the end of the line.</summary>
    LineComment,

    /// <summary><c>/* … */</c>, nested comments included.</summary>
    BlockComment,

    /// <summary><c>'…'</c> with <c>''</c> for a quote, and the national <c>N'…'</c>.</summary>
    String,

    /// <summary><c>E'…'</c>: backslash escapes.</summary>
    EscapeString,

    /// <summary><c>U&amp;'…'</c>.</summary>
    UnicodeString,

    /// <summary><c>B'…'</c> or <c>X'…'</c>.</summary>
    BitString,

    /// <summary><c>$$…$$</c> or <c>$tag$…$tag$</c>.</summary>
    DollarString,

    /// <summary>An unquoted identifier or keyword: <c>recipes</c>, <c>SELECT</c>, <c>price$usd</c>.</summary>
    Identifier,

    /// <summary><c>"…"</c> with <c>""</c> for a quote, and <c>U&amp;"…"</c>.</summary>
    QuotedIdentifier,

    /// <summary><c>42</c>, <c>1.5e-3</c>, <c>.5</c>, <c>0x1F</c>, <c>1_000</c>.</summary>
    Number,

    /// <summary><c>$1</c>.</summary>
    PositionalParameter,

    /// <summary><c>@name</c> or <c>:name</c>, as Npgsql and ADO.NET code write parameters.</summary>
    NamedParameter,

    /// <summary><c>?</c> in normalised text, when the lexer is asked to read it so.</summary>
    Placeholder,

    /// <summary>An operator: <c>=</c>, <c>&lt;=</c>, <c>-&gt;&gt;</c>, <c>||</c>, <c>::</c>, <c>:=</c>, <c>:</c>, <c>..</c>.</summary>
    Operator,

    /// <summary><c>(</c>.</summary>
    OpenParen,

    /// <summary><c>)</c>.</summary>
    CloseParen,

    /// <summary><c>[</c>.</summary>
    OpenBracket,

    /// <summary><c>]</c>.</summary>
    CloseBracket,

    /// <summary><c>,</c>.</summary>
    Comma,

    /// <summary><c>;</c>.</summary>
    Semicolon,

    /// <summary><c>.</c>.</summary>
    Dot,

    /// <summary>One character PostgreSQL would not accept here, such as a lone <c>$</c> or <c>\</c>.</summary>
    Other,
}
