using Npgsql;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Reads <c>pg_stat_statements</c> before and after a capture and keeps the difference, so the report shows
/// what the server itself measured for the run (never for other runs, never for the fixture's seeding).
/// </summary>
internal sealed class ServerStatistics
{
    private readonly string _connectionString;
    private readonly Dictionary<(long QueryId, long Database), (long Calls, double Milliseconds, long Rows)> _before;

    private ServerStatistics(string connectionString, Dictionary<(long QueryId, long Database), (long Calls, double Milliseconds, long Rows)> before)
    {
        _connectionString = connectionString;
        _before = before;
    }

    /// <summary>Snapshots every running server this process started or was named, that has the extension loaded.</summary>
    public static IReadOnlyList<ServerStatistics> Start()
    {
        var snapshots = new List<ServerStatistics>();
        foreach (var server in PostgresServer.Running.Where(s => s.HasStatementStatistics))
        {
            try
            {
                snapshots.Add(new ServerStatistics(server.ConnectionString, ReadAsync(server.ConnectionString, null, CancellationToken.None).GetAwaiter().GetResult().Counters));
            }
            catch (NpgsqlException)
            {
                // The server's own statistics are a bonus: without them the report leaves the section out.
            }
        }

        return snapshots;
    }

    /// <summary>The statements of <paramref name="databases"/> that ran during the capture, the most server time first.</summary>
    public async Task<IReadOnlyList<ServerStatement>> TopAsync(IReadOnlyCollection<string> databases, int count, CancellationToken cancellationToken)
    {
        var (after, texts) = await ReadAsync(_connectionString, databases, cancellationToken).ConfigureAwait(false);
        return after
            .Select(a => (a.Key, Calls: a.Value.Calls - _before.GetValueOrDefault(a.Key).Calls, Ms: a.Value.Milliseconds - _before.GetValueOrDefault(a.Key).Milliseconds, Rows: a.Value.Rows - _before.GetValueOrDefault(a.Key).Rows))
            .Where(d => d.Calls > 0 && IsWork(texts[d.Key]))
            .OrderByDescending(d => d.Ms)
            .Take(count)
            .Select(d => new ServerStatement(Unprepared(texts[d.Key]), d.Calls, TimeSpan.FromMilliseconds(d.Ms), d.Rows))
            .ToArray();
    }

    // The server keeps the first text it saw for a statement; when that was the plan check's PREPARE, show the statement.
    private static string Unprepared(string query)
    {
        const string prefix = "PREPARE perf_explained AS ";
        return query.StartsWith(prefix, StringComparison.Ordinal) ? query[prefix.Length..] : query;
    }

    // Queries and data changes; not connection resets (DISCARD ALL), transaction control or settings.
    private static bool IsWork(string query)
    {
        var verb = SqlText.Verb(Unprepared(query));
        return verb is "SELECT" or "INSERT" or "UPDATE" or "DELETE";
    }

    private static async Task<(Dictionary<(long QueryId, long Database), (long Calls, double Milliseconds, long Rows)> Counters, Dictionary<(long QueryId, long Database), string> Texts)> ReadAsync(
        string connectionString, IReadOnlyCollection<string>? databases, CancellationToken cancellationToken)
    {
        var counters = new Dictionary<(long QueryId, long Database), (long Calls, double Milliseconds, long Rows)>();
        var texts = new Dictionary<(long QueryId, long Database), string>();
        var connection = new NpgsqlConnection(connectionString);
        await using var connectionScope = connection.ConfigureAwait(false);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var command = new NpgsqlCommand(
            "SELECT s.queryid, s.dbid::bigint, sum(s.calls)::bigint, sum(s.total_exec_time), sum(s.rows)::bigint, min(s.query) "
            + "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
            + "WHERE s.queryid IS NOT NULL AND ($1::text[] IS NULL OR d.datname = ANY($1)) GROUP BY s.queryid, s.dbid",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = databases is null ? DBNull.Value : databases.ToArray(), DataTypeName = "text[]" });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = (reader.GetInt64(0), reader.GetInt64(1));
            counters[key] = (reader.GetInt64(2), reader.GetDouble(3), reader.GetInt64(4));
            texts[key] = reader.GetString(5);
        }

        return (counters, texts);
    }
}
