namespace PerfRegression.PostgreSql;

/// <summary>What the analysis of one statement's query plan found.</summary>
public sealed class PlanAnalysis
{
    internal PlanAnalysis(string statement, string fingerprint, double totalCost, IReadOnlyList<PlanFinding> findings, IReadOnlyList<PlanFinding> allowed)
    {
        Statement = statement;
        Fingerprint = fingerprint;
        TotalCost = totalCost;
        Findings = findings;
        Allowed = allowed;
    }

    /// <summary>The normalised statement.</summary>
    public string Statement { get; }

    /// <summary>The statement's fingerprint (<see cref="SqlNormalizer.Fingerprint"/>), for an allow-list.</summary>
    public string Fingerprint { get; }

    /// <summary>The plan's estimated total cost, in the planner's units.</summary>
    public double TotalCost { get; }

    /// <summary>The problems to fix, in plan order (a parent before its children).</summary>
    public IReadOnlyList<PlanFinding> Findings { get; }

    /// <summary>The problems that are allow-listed, each with its reason.</summary>
    public IReadOnlyList<PlanFinding> Allowed { get; }

    /// <summary>Every finding, one per line; an empty string when there is none.</summary>
    public override string ToString() => string.Join('\n', Findings);
}
