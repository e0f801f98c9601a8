using System.Globalization;
using System.Text;
using Npgsql;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Runs <c>EXPLAIN (FORMAT JSON)</c> for a captured statement: with the parameter values of a real
/// execution when the trace carried them, else the generic plan PostgreSQL would cache for any values
/// (the statement is prepared and explained with <c>plan_cache_mode = force_generic_plan</c>).
/// </summary>
internal static class PlanInspector
{
    /// <summary>The plan as JSON text, and whether real parameter values were used.</summary>
    public static async Task<(string PlanJson, bool WithValues)> ExplainAsync(
        string connectionString, string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await using var connectionScope = connection.ConfigureAwait(false);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // EF Core and Dapper send named parameters (@userId) that Npgsql rewrites to $1, $2 … before sending;
        // the trace carries the text as written, so the same rewrite happens here.
        sql = ToPositional(sql, out var named);
        var placeholders = Math.Max(named, CountPlaceholders(sql));
        if (placeholders == 0 || (parameters is not null && parameters.Count >= placeholders))
        {
            var command = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + sql, connection);
            await using var commandScope = command.ConfigureAwait(false);
            for (var i = 0; i < placeholders; i++)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameters![i] ?? DBNull.Value });
            }

            return ((string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!, placeholders > 0);
        }

        // Without values: explain the generic plan. The prepared statement lives only in this session.
        var generic = new NpgsqlCommand($"SET plan_cache_mode = force_generic_plan; PREPARE perf_explained AS {sql}", connection);
        await using (generic.ConfigureAwait(false))
        {
            await generic.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var nulls = string.Join(", ", Enumerable.Repeat("NULL", placeholders));
        var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) EXECUTE perf_explained({nulls})", connection);
        await using (explain.ConfigureAwait(false))
        {
            return ((string)(await explain.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!, false);
        }
    }

    /// <summary>
    /// Table sizes (estimated live rows) in the database's user schemas, for scan thresholds. Tables never
    /// analysed (<c>reltuples = -1</c>, e.g. every table of a copy of a template seeded without ANALYZE) are
    /// analysed first: their size would otherwise read as 0 rows, and every scan of them would pass unseen.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>> TableRowsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await using var connectionScope = connection.ConfigureAwait(false);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var sizes = await ReadSizesAsync(connection, cancellationToken).ConfigureAwait(false);
        var unanalysed = sizes.Where(s => s.Rows < 0).Select(s => s.QualifiedName).ToArray();
        if (unanalysed.Length == 0)
        {
            return sizes.ToDictionary(s => s.Name, s => s.Rows, StringComparer.Ordinal);
        }

        // ANALYZE samples at most 30,000 rows per table: quick, and the plans explained next see real statistics too.
        var analyze = new NpgsqlCommand("ANALYZE " + string.Join(", ", unanalysed), connection);
        await using (analyze.ConfigureAwait(false))
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return (await ReadSizesAsync(connection, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Name, s => Math.Max(0, s.Rows), StringComparer.Ordinal);
    }

    /// <summary>Each table's name, its quoted qualified name, and its size: -1 when never analysed (and no live rows counted).</summary>
    private static async Task<List<(string Name, string QualifiedName, long Rows)>> ReadSizesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var sizes = new List<(string, string, long)>();
        var command = new NpgsqlCommand(
            "SELECT c.relname, quote_ident(n.nspname) || '.' || quote_ident(c.relname), "
            + "CASE WHEN c.reltuples < 0 AND coalesce(s.n_live_tup, 0) = 0 AND c.relkind IN ('r', 'p') THEN -1 ELSE greatest(c.reltuples, s.n_live_tup, 0) END::bigint "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sizes.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? 0 : reader.GetInt64(2)));
        }

        return sizes;
    }

    /// <summary>
    /// Replaces named parameters (<c>@name</c>, <c>:name</c>) outside quotes and comments with positional ones,
    /// numbered by first appearance; <paramref name="count"/> is how many distinct names there were.
    /// </summary>
    internal static string ToPositional(string sql, out int count)
    {
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        StringBuilder? output = null;
        var copied = 0;
        foreach (var token in new SqlLexer(sql))
        {
            if (token.Kind != SqlTokenKind.NamedParameter)
            {
                continue;
            }

            var name = sql[(token.Start + 1)..token.End];
            if (!names.TryGetValue(name, out var position))
            {
                position = names.Count + 1;
                names[name] = position;
            }

            output ??= new StringBuilder(sql.Length);
            output.Append(sql, copied, token.Start - copied).Append('$').Append(position.ToString(CultureInfo.InvariantCulture));
            copied = token.End;
        }

        count = names.Count;
        return output is null ? sql : output.Append(sql, copied, sql.Length - copied).ToString();
    }

    /// <summary>The highest positional parameter (<c>$3</c>) outside quotes and comments: how many values the statement takes.</summary>
    internal static int CountPlaceholders(string sql)
    {
        var max = 0;
        foreach (var token in new SqlLexer(sql))
        {
            if (token.Kind == SqlTokenKind.PositionalParameter
                && int.TryParse(token.Text(sql)[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                max = Math.Max(max, number);
            }
        }

        return max;
    }
}
