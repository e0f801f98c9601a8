namespace PerfRegression;

/// <summary>What the regression gate concluded for one test: verdicts, problems, notes, and files touched.</summary>
public sealed class GateOutcome
{
    internal GateOutcome(
        string test,
        string baselinePath,
        string? receivedPath,
        bool baselineWritten,
        IReadOnlyList<StatisticComparison> comparisons,
        IReadOnlyList<string> problems,
        IReadOnlyList<string> notes,
        BaselineMode mode,
        string profile,
        GatePolicy policy)
    {
        Policy = policy;
        Test = test;
        BaselinePath = baselinePath;
        ReceivedPath = receivedPath;
        BaselineWritten = baselineWritten;
        Comparisons = comparisons;
        Problems = problems;
        Notes = notes;
        Mode = mode;
        Profile = profile;
    }

    /// <summary>The test's full name.</summary>
    public string Test { get; }

    /// <summary>The baseline file of the test.</summary>
    public string BaselinePath { get; }

    /// <summary>The received file written for review, if any.</summary>
    public string? ReceivedPath { get; }

    /// <summary>Whether the baseline file was (re)written by this run.</summary>
    public bool BaselineWritten { get; }

    /// <summary>Every statistic compared with the baseline.</summary>
    public IReadOnlyList<StatisticComparison> Comparisons { get; }

    /// <summary>Problems that fail the test: a missing baseline in strict mode, a corrupt file, a route that disappeared.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Information: environment differences and the policy applied, new routes, baselines recorded.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The baseline mode of the run.</summary>
    public BaselineMode Mode { get; }

    /// <summary>The profile of the run.</summary>
    public string Profile { get; }

    /// <summary>The policy the verdicts were decided with.</summary>
    public GatePolicy Policy { get; }

    /// <summary>Whether the gate fails the test.</summary>
    public bool Failed => Problems.Count > 0 || Comparisons.Any(c => c.Severity == VerdictSeverity.Fail);
}
