namespace PerfRegression.PostgreSql;

/// <summary>The N+1 patterns found in a load test's requests.</summary>
public sealed class QueryRepetitionReport
{
    internal QueryRepetitionReport(IReadOnlyList<QueryRepetition> findings, IReadOnlyList<QueryRepetition> allowed)
    {
        Findings = findings;
        Allowed = allowed;
    }

    /// <summary>The repetitions to fix: the highest <see cref="QueryRepetition.MaxCount"/> first, then by route and statement.</summary>
    public IReadOnlyList<QueryRepetition> Findings { get; }

    /// <summary>The repetitions that are allow-listed, each with its reason, in the same order.</summary>
    public IReadOnlyList<QueryRepetition> Allowed { get; }

    /// <summary>Every finding, one per line; an empty string when there is none.</summary>
    public override string ToString() => string.Join('\n', Findings);
}
