namespace PerfRegression;

/// <summary>
/// What a mixed workload measured (<see cref="Load.RunMixAsync"/>): one report per scenario, each over the same
/// measured time, while the others loaded the same system. Each report names the others in <see cref="LoadReport.RanWith"/>.
/// </summary>
public sealed class MixedLoadReport
{
    internal MixedLoadReport(IReadOnlyList<LoadReport> scenarios) => Scenarios = scenarios;

    /// <summary>The parts' reports, in the order the parts were given.</summary>
    public IReadOnlyList<LoadReport> Scenarios { get; }

    /// <summary>The report of scenario <paramref name="scenario"/>.</summary>
    /// <exception cref="KeyNotFoundException">No part of the mix has that scenario; the message lists those it has.</exception>
    public LoadReport this[string scenario]
        => Scenarios.FirstOrDefault(r => string.Equals(r.Scenario, scenario, StringComparison.Ordinal))
            ?? throw new KeyNotFoundException($"The mix has no scenario '{scenario}'; it ran {string.Join(", ", Scenarios.Select(r => $"'{r.Scenario}'"))}.");

    /// <summary>Why the mix was ended early, if it was (every part stops when one breaks an abort-on-fail budget).</summary>
    public LoadAbort? Aborted => Scenarios.Select(r => r.Aborted).FirstOrDefault(a => a is not null);

    /// <summary>Each part's summary table, one after the other.</summary>
    public string ToSummary() => string.Join("\n\n", Scenarios.Select(r => r.ToSummary()));

    /// <inheritdoc />
    public override string ToString() => ToSummary();
}
