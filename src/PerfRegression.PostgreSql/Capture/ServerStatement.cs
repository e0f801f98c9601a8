namespace PerfRegression.PostgreSql;

/// <summary>One statement as the server's <c>pg_stat_statements</c> counted it during a capture.</summary>
/// <param name="Query">The statement as the server normalised it.</param>
/// <param name="Calls">Executions during the capture.</param>
/// <param name="TotalTime">Execution time on the server during the capture.</param>
/// <param name="Rows">Rows returned or affected during the capture.</param>
public sealed record ServerStatement(string Query, long Calls, TimeSpan TotalTime, long Rows);
