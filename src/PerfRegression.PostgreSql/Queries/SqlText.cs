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
            var from = TopLevelIndexOf(statement, " FROM ", 7);
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
        var text = statement.AsSpan().TrimStart(" (");
        var end = 0;
        while (end < text.Length && char.IsAsciiLetter(text[end]))
        {
            end++;
        }

        var verb = text[..end].ToString().ToUpperInvariant();
        return verb == "WITH" ? "SELECT" : verb;
    }

    /// <summary>
    /// The column of the first <c>column = ?</c> comparison after <c>WHERE</c>, without its table qualifier
    /// (<c>r.recipe_id = ?</c> gives <c>recipe_id</c>); <see langword="null"/> when there is none.
    /// </summary>
    public static string? KeyColumn(string statement)
    {
        var where = statement.IndexOf(" WHERE ", StringComparison.OrdinalIgnoreCase);
        if (where < 0)
        {
            return null;
        }

        for (var i = statement.IndexOf('=', where); i > 0; i = statement.IndexOf('=', i + 1))
        {
            var before = statement[i - 1];
            if (before is '<' or '>' or '!' or '=' or ':' || (i + 1 < statement.Length && statement[i + 1] is '=' or '>'))
            {
                continue;
            }

            var value = i + 1;
            while (value < statement.Length && statement[value] == ' ')
            {
                value++;
            }

            var isPlaceholder = value < statement.Length && statement[value] == SqlNormalizer.Placeholder
                && (value + 1 == statement.Length || statement[value + 1] != '.');
            if (!isPlaceholder)
            {
                continue;
            }

            var column = ColumnBefore(statement, i);
            if (column is not null)
            {
                return column;
            }
        }

        return null;
    }

    private static string? ColumnBefore(string statement, int position)
    {
        var end = position;
        while (end > 0 && statement[end - 1] == ' ')
        {
            end--;
        }

        if (end == 0)
        {
            return null;
        }

        int start;
        if (statement[end - 1] == '"')
        {
            start = statement.LastIndexOf('"', end - 2);
            if (start < 0)
            {
                return null;
            }
        }
        else
        {
            start = end;
            while (start > 0 && (char.IsLetterOrDigit(statement[start - 1]) || statement[start - 1] is '_' or '$'))
            {
                start--;
            }

            if (start == end || char.IsAsciiDigit(statement[start]))
            {
                return null;
            }
        }

        return statement[start..end];
    }

    /// <summary>Index of <paramref name="value"/> outside parentheses and quoted identifiers, or -1.</summary>
    private static int TopLevelIndexOf(string text, string value, int start)
    {
        var depth = 0;
        var quoted = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == ' ' && string.Compare(text, i, value, 0, value.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
