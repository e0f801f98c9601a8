namespace PerfRegression.PostgreSql;

/// <summary>One SQL command a request caused, as Npgsql traced it.</summary>
/// <param name="Text">The SQL as sent, with parameter placeholders (never parameter values).</param>
/// <param name="Duration">From sending the command to reading its last row.</param>
/// <param name="Rows">Rows returned or affected, when Npgsql reports them.</param>
/// <param name="Database">The database the command ran in.</param>
/// <param name="Server">The server as <c>host:port</c>.</param>
/// <param name="Parameters">
/// The parameter values, only when the app's data source passes them to the trace with
/// <see cref="QueryCapture.EnrichCommand"/>; they let plan checks explain the statement with real values.
/// </param>
public sealed record CapturedCommand(string Text, TimeSpan Duration, long? Rows, string? Database, string? Server = null, IReadOnlyList<object?>? Parameters = null);

/// <summary>Every command one measured request caused, in the order they finished.</summary>
/// <param name="Route">The scenario step (route) that sent the request.</param>
/// <param name="Commands">The commands, possibly none.</param>
public sealed record CapturedRequest(string Route, IReadOnlyList<CapturedCommand> Commands);
