namespace PerfRegression.PostgreSql;

/// <summary>Reads what a report needs from a normalised statement: a short form, its verb, its lookup column.</summary>
internal static class SqlText
{
    /// <summary>The ellipsis that marks text left out.</summary>
    public const string Ellipsis = "…";

    /// <summary>
    /// Shortens a statement for a message or a table cell: a long <c>SELECT</c> list becomes <c>…</c>
    /// (<c>SELECT … FROM recipe_ingredients WHERE recipe_id = ?</c>), and what is still too long is cut at a
    /// word boundary and ends in <c>…</c>.
    /// </summary>
    public static string Shorten(string statement, int maxLength)
    {
        if (statement.Length <= maxLength)
        {
            return statement;
        }

        if (statement.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase))
        {
            var from = TopLevelFrom(statement);
            if (from > 7)
            {
                statement = string.Concat(statement.AsSpan(0, 7), Ellipsis, statement.AsSpan(from));
            }
        }

        if (statement.Length <= maxLength)
        {
            return statement;
        }

        var cut = Math.Max(1, maxLength - Ellipsis.Length);
        var space = statement.LastIndexOf(' ', cut);
        if (space >= maxLength / 2)
        {
            cut = space;
        }

        return string.Concat(statement.AsSpan(0, cut).TrimEnd(), Ellipsis);
    }

    /// <summary>The first word of the statement in capitals (<c>SELECT</c>, <c>INSERT</c>, …), with <c>WITH</c> read as <c>SELECT</c>.</summary>
    public static string Verb(string statement)
    {
        foreach (var token in new SqlLexer(statement))
        {
            if (token.Kind == SqlTokenKind.Identifier)
            {
                var verb = token.Text(statement).ToString().ToUpperInvariant();
                return verb == "WITH" ? "SELECT" : verb;
            }

            if (!token.IsTrivia && token.Kind != SqlTokenKind.OpenParen)
            {
                break;
            }
        }

        return "";
    }

    /// <summary>
    /// The column of the first <c>column = ?</c> comparison after <c>WHERE</c>, without its table qualifier
    /// (<c>r.recipe_id = ?</c> gives <c>recipe_id</c>); <see langword="null"/> when there is none.
    /// </summary>
    public static string? KeyColumn(string statement)
    {
        var where = false;
        SqlToken previous = default;
        SqlToken column = default;
        foreach (var token in new SqlLexer(statement, placeholders: true))
        {
            if (token.IsTrivia)
            {
                continue;
            }

            if (column.Length > 0)
            {
                // "?" alone, not the "?..." of a list.
                if (token.Kind == SqlTokenKind.Placeholder && !(token.End < statement.Length && statement[token.End] == '.'))
                {
                    return column.Text(statement).ToString();
                }

                column = default;
            }

            if (!where)
            {
                where = token.Is(SqlTokenKind.Identifier, statement, "WHERE");
            }
            else if (token.Is(SqlTokenKind.Operator, statement, "=") && previous.IsName)
            {
                column = previous;
            }

            previous = token;
        }

        return null;
    }

    /// <summary>Where the space before the <c>FROM</c> of the outermost query is, or -1.</summary>
    private static int TopLevelFrom(string statement)
    {
        var depth = 0;
        SqlToken previous = default;
        foreach (var token in new SqlLexer(statement, placeholders: true))
        {
            if (token.Kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
            else if (token.Kind == SqlTokenKind.CloseParen)
            {
                depth--;
            }
            else if (depth == 0 && previous.Kind == SqlTokenKind.Whitespace && token.Is(SqlTokenKind.Identifier, statement, "FROM"))
            {
                return token.Start - 1;
            }

            previous = token;
        }

        return -1;
    }
}
