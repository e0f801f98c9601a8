using System.Runtime.InteropServices;

namespace PerfRegression.PostgreSql;

/// <summary>Summarises the database commands of a load test's requests, per route, for the report.</summary>
internal static class QueryStatistics
{
    /// <summary>Computes the statistics of every route.</summary>
    /// <param name="requests">Every request of the run with the commands it caused; requests without commands count too.</param>
    /// <param name="topStatements">How many statements <see cref="RouteQueryStatistics.TopStatements"/> keeps per route; at least 1. The default is 10.</param>
    /// <returns>One entry per route, ordered by route (ordinal).</returns>
    public static IReadOnlyList<RouteQueryStatistics> Compute(IEnumerable<RequestQueries> requests, int topStatements = 10)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(topStatements, 1);
        var routes = new Dictionary<string, RouteAccumulator>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (request is null)
            {
                throw new ArgumentException("The request list contains null; pass one RequestQueries per request.", nameof(requests));
            }

            if (!routes.TryGetValue(request.Route, out var route))
            {
                routes.Add(request.Route, route = new RouteAccumulator());
            }

            route.Add(request.Statements);
        }

        return [.. routes.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value.ToStatistics(r.Key, topStatements))];
    }

    private sealed class RouteAccumulator
    {
        private readonly List<int> _commands = [];
        private readonly List<long> _databaseTicks = [];
        private readonly Dictionary<string, StatementAccumulator> _statements = new(StringComparer.Ordinal);

        public void Add(IReadOnlyList<CapturedStatement> statements)
        {
            long ticks = 0;
            foreach (var statement in statements)
            {
                ticks += statement.Duration.Ticks;
                ref var accumulator = ref CollectionsMarshal.GetValueRefOrAddDefault(_statements, statement.Statement, out _);
                accumulator ??= new StatementAccumulator();
                accumulator.Durations.Add(statement.Duration.Ticks);
                accumulator.TotalTicks += statement.Duration.Ticks;
            }

            _commands.Add(statements.Count);
            _databaseTicks.Add(ticks);
        }

        public RouteQueryStatistics ToStatistics(string route, int top)
        {
            var commands = CollectionsMarshal.AsSpan(_commands);
            var ticks = CollectionsMarshal.AsSpan(_databaseTicks);
            long totalCommands = 0;
            long totalTicks = 0;
            foreach (var count in commands)
            {
                totalCommands += count;
            }

            foreach (var t in ticks)
            {
                totalTicks += t;
            }

            commands.Sort();
            ticks.Sort();
            var requests = commands.Length;
            var statements = _statements
                .OrderByDescending(s => s.Value.TotalTicks)
                .ThenByDescending(s => s.Value.Durations.Count)
                .ThenBy(s => s.Key, StringComparer.Ordinal)
                .Take(top)
                .Select(s => s.Value.ToStatistics(s.Key, requests))
                .ToArray();
            return new RouteQueryStatistics(
                route,
                requests,
                totalCommands,
                TimeSpan.FromTicks(totalTicks),
                _statements.Count,
                (NearestRank.Percentile<int>(commands, 50), NearestRank.Percentile<int>(commands, 95), commands[^1]),
                (Ticks(ticks, 50), Ticks(ticks, 95), TimeSpan.FromTicks(ticks[^1])),
                statements);
        }

        private static TimeSpan Ticks(ReadOnlySpan<long> sorted, double percentile) => TimeSpan.FromTicks(NearestRank.Percentile(sorted, percentile));
    }

    private sealed class StatementAccumulator
    {
        public List<long> Durations { get; } = [];

        public long TotalTicks { get; set; }

        public StatementStatistics ToStatistics(string statement, int requests)
        {
            var durations = CollectionsMarshal.AsSpan(Durations);
            durations.Sort();
            return new StatementStatistics(
                statement,
                durations.Length,
                TimeSpan.FromTicks(TotalTicks),
                TimeSpan.FromTicks(TotalTicks / durations.Length),
                TimeSpan.FromTicks(NearestRank.Percentile<long>(durations, 95)),
                (double)durations.Length / requests);
        }
    }
}
