namespace PerfRegression.PostgreSql;

/// <summary>One command a request sent to the database.</summary>
/// <param name="Statement">
/// The statement's normalised text (<see cref="SqlNormalizer.Normalize"/>); commands with the same text are
/// counted together.
/// </param>
/// <param name="Duration">How long the command took, as the client measured it.</param>
internal sealed record CapturedStatement(string Statement, TimeSpan Duration)
{
    /// <summary>The statement's normalised text.</summary>
    public string Statement { get; init; } = Statement ?? throw new ArgumentNullException(nameof(Statement));

    /// <summary>How long the command took; zero or more.</summary>
    public TimeSpan Duration { get; init; } = Duration >= TimeSpan.Zero
        ? Duration
        : throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "A command's duration is zero or more.");
}
