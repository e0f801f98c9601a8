namespace PerfRegression.PostgreSql;

/// <summary>The database commands one request caused, in the order they were sent.</summary>
/// <param name="Route">The route the request belongs to, as the load report names it, e.g. <c>GET /shopping</c>.</param>
/// <param name="Statements">The commands; empty when the request did not touch the database.</param>
internal sealed record RequestQueries(string Route, IReadOnlyList<CapturedStatement> Statements)
{
    /// <summary>The route the request belongs to.</summary>
    public string Route { get; init; } = Route ?? throw new ArgumentNullException(nameof(Route));

    /// <summary>The commands, in the order they were sent.</summary>
    public IReadOnlyList<CapturedStatement> Statements { get; init; } = Statements ?? throw new ArgumentNullException(nameof(Statements));
}
