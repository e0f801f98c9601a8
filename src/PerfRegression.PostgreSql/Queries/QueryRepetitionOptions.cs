namespace PerfRegression.PostgreSql;

/// <summary>
/// What counts as an N+1 pattern: the same statement run many times within one request. Every property
/// has a documented default; the options are validated and copied when a <see cref="QueryRepetitionDetector"/>
/// is created, and every problem is listed in one message.
/// </summary>
internal sealed class QueryRepetitionOptions
{
    /// <summary>
    /// How often one statement must run within a single request to be reported. A page that lists 20 recipes
    /// and loads each one's ingredients with its own query runs that query 20 times.
    /// </summary>
    /// <value>
    /// The default value is 5: two or three lookups of the same kind in one request are common and cheap,
    /// while five or more almost always come from a loop. At least 2.
    /// </value>
    public int RepeatThreshold { get; set; } = 5;

    /// <summary>
    /// Statements whose repetition is deliberate, by normalised text (<see cref="SqlNormalizer.Normalize"/>) or
    /// fingerprint (<see cref="SqlNormalizer.Fingerprint"/>), each with the reason. They are still found, and
    /// listed apart in <see cref="QueryRepetitionReport.Allowed"/>.
    /// </summary>
    /// <value>The default value is empty. Keys compare ordinally.</value>
    public IDictionary<string, string> AllowedStatements { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (RepeatThreshold < 2)
        {
            problems.Add($"RepeatThreshold is {RepeatThreshold}; it must be at least 2, since a statement that runs once per request does not repeat. The default, 5, reports statements that run 5 or more times in one request.");
        }

        AllowList.Validate(AllowedStatements, nameof(AllowedStatements), "the normalised statement or its 16-digit fingerprint", "one advisory lock per item, by design", problems);
        return problems;
    }
}
