namespace PerfRegression.PostgreSql;

/// <summary>How one statement performed within a route: how often it ran and how long it took.</summary>
/// <param name="Statement">The normalised statement.</param>
/// <param name="Count">How many times the route's requests ran it.</param>
/// <param name="Total">The sum of its durations.</param>
/// <param name="Mean">The mean duration (<paramref name="Total"/> over <paramref name="Count"/>, to the tick).</param>
/// <param name="P95">The 95th-percentile duration, nearest rank: one of the observed durations.</param>
/// <param name="PerRequest">How many times one request ran it on average: <paramref name="Count"/> over the route's requests.</param>
public sealed record StatementStatistics(string Statement, long Count, TimeSpan Total, TimeSpan Mean, TimeSpan P95, double PerRequest);
