namespace PerfRegression;

/// <summary>
/// One part of a mixed workload (<see cref="Load.RunMixAsync"/>): a scenario, the load it gets, and when it starts
/// relative to the others. Each part has its own virtual users and its own report, budgets and baseline.
/// </summary>
/// <param name="Scenario">What the part's users do; its name names the part in reports, budgets and baselines.</param>
/// <param name="Profile">How the part's load is applied (closed or open model, stages, rates).</param>
public sealed record ScenarioLoad(Scenario Scenario, LoadProfile Profile)
{
    /// <summary>How long after the mix's measurement starts this part starts; the default is zero (all parts at once).</summary>
    public TimeSpan StartAfter { get; init; }
}

/// <summary>Builds the parts of a mixed workload in one line: <c>search.Under(LoadProfile.Users(20, TimeSpan.FromSeconds(30)))</c>.</summary>
public static class ScenarioLoadExtensions
{
    /// <summary>This scenario under <paramref name="profile"/>, starting <paramref name="startAfter"/> after the mix's measurement starts (default: at once).</summary>
    public static ScenarioLoad Under(this Scenario scenario, LoadProfile profile, TimeSpan? startAfter = null)
        => new(scenario, profile) { StartAfter = startAfter ?? TimeSpan.Zero };
}
