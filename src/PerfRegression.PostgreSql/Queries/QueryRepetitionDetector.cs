using System.Collections.Frozen;
using System.Runtime.InteropServices;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Finds N+1 patterns: a statement that one request runs <see cref="QueryRepetitionOptions.RepeatThreshold"/>
/// or more times. Statements are compared by their normalised text, so run each command's SQL through
/// <see cref="SqlNormalizer.Normalize"/> first. One finding per route and statement.
/// </summary>
internal sealed class QueryRepetitionDetector
{
    private readonly int _threshold;
    private readonly FrozenDictionary<string, string> _allowed;

    /// <summary>Creates a detector; the options are validated and copied.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="PerfConfigurationException">The options are invalid; the message lists every problem.</exception>
    public QueryRepetitionDetector(QueryRepetitionOptions? options = null)
    {
        options ??= new QueryRepetitionOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new PerfConfigurationException(nameof(QueryRepetitionOptions), problems);
        }

        _threshold = options.RepeatThreshold;
        _allowed = AllowList.Freeze(options.AllowedStatements, StringComparer.Ordinal);
    }

    /// <summary>Finds the statements that repeat within single requests.</summary>
    /// <param name="requests">Every request of the run with the commands it caused; requests without commands count too.</param>
    /// <returns>The findings and the allow-listed repetitions.</returns>
    public QueryRepetitionReport Find(IEnumerable<RequestQueries> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var routes = new Dictionary<string, RouteCounts>(StringComparer.Ordinal);
        var perRequest = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (request is null)
            {
                throw new ArgumentException("The request list contains null; pass one RequestQueries per request.", nameof(requests));
            }

            if (!routes.TryGetValue(request.Route, out var route))
            {
                routes.Add(request.Route, route = new RouteCounts());
            }

            route.Requests++;
            perRequest.Clear();
            foreach (var statement in request.Statements)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(perRequest, statement.Statement, out _)++;
            }

            foreach (var (statement, count) in perRequest)
            {
                if (!route.Counts.TryGetValue(statement, out var counts))
                {
                    route.Counts.Add(statement, counts = []);
                }

                counts.Add(count);
            }
        }

        var findings = new List<QueryRepetition>();
        var allowed = new List<QueryRepetition>();
        foreach (var (routeName, route) in routes)
        {
            foreach (var (statement, counts) in route.Counts)
            {
                var sorted = CollectionsMarshal.AsSpan(counts);
                sorted.Sort();
                var max = sorted[^1];
                if (max < _threshold)
                {
                    continue;
                }

                // Requests that did not run the statement count as zeros below the sorted counts.
                var zeros = route.Requests - sorted.Length;
                var rank = Math.Clamp((int)Math.Ceiling(route.Requests / 2.0), 1, route.Requests);
                var median = rank <= zeros ? 0 : sorted[rank - zeros - 1];
                var repeating = sorted.Length - sorted.IndexOfAnyExceptInRange(0, _threshold - 1); // max >= threshold: found
                string? fingerprint = null;
                var reason = AllowList.ReasonForStatement(_allowed, statement, ref fingerprint);
                var finding = new QueryRepetition(
                    routeName, statement, fingerprint ?? SqlNormalizer.Fingerprint(statement), max, median, route.Requests, repeating, _threshold, reason);
                (reason is null ? findings : allowed).Add(finding);
            }
        }

        return new QueryRepetitionReport(Order(findings), Order(allowed));
    }

    private static QueryRepetition[] Order(List<QueryRepetition> findings) =>
        [.. findings
            .OrderByDescending(f => f.MaxCount)
            .ThenBy(f => f.Route, StringComparer.Ordinal)
            .ThenBy(f => f.Statement, StringComparer.Ordinal)];

    private sealed class RouteCounts
    {
        public int Requests { get; set; }

        /// <summary>Per statement, how often each request that ran it ran it.</summary>
        public Dictionary<string, List<int>> Counts { get; } = new(StringComparer.Ordinal);
    }
}
