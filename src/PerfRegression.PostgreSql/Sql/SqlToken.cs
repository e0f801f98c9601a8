namespace PerfRegression.PostgreSql;

/// <summary>
/// One token of SQL text: its kind and where it lies, not its text, so that reading a statement allocates
/// nothing. <see cref="IsUnterminated"/> marks a string, quoted identifier or comment that ran to the end.
/// </summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length, bool IsUnterminated = false)
{
    /// <summary>The index just past the token.</summary>
    public int End => Start + Length;

    /// <summary>Whitespace or a comment: what separates tokens and means nothing itself.</summary>
    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

    /// <summary>A string constant of any form.</summary>
    public bool IsString => Kind is SqlTokenKind.String or SqlTokenKind.EscapeString or SqlTokenKind.UnicodeString
        or SqlTokenKind.BitString or SqlTokenKind.DollarString;

    /// <summary>An identifier, quoted or not.</summary>
    public bool IsName => Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier;

    /// <summary>The token's text in <paramref name="sql"/>, the text it was read from.</summary>
    public ReadOnlySpan<char> Text(ReadOnlySpan<char> sql) => sql.Slice(Start, Length);

    /// <summary>Whether the token is of <paramref name="kind"/> and reads <paramref name="text"/>, ignoring case.</summary>
    public bool Is(SqlTokenKind kind, ReadOnlySpan<char> sql, ReadOnlySpan<char> text) =>
        Kind == kind && Text(sql).Equals(text, StringComparison.OrdinalIgnoreCase);
}
