namespace PerfRegression;

/// <summary>
/// The pull-request and full profiles of one test: the same test under a switch
/// (<c>PERF_PROFILE=pr|full</c>), each with its own baselines.
/// </summary>
public static class PerfProfile
{
    /// <summary>The active profile's name: <c>pr</c> or <c>full</c>.</summary>
    public static string Name => PerfSettings.Current.Profile;

    /// <summary>Whether the full (seed-length) profile is active.</summary>
    public static bool IsFull => Name == "full";

    /// <summary>Picks <paramref name="pr"/> or <paramref name="full"/> by the active profile.</summary>
    public static LoadProfile Choose(LoadProfile pr, LoadProfile full) => IsFull ? full : pr;

    /// <summary>
    /// The seed stories' full profile for <paramref name="users"/>: ramp up over 30 s, hold 5 min, ramp down over 30 s.
    /// </summary>
    public static LoadProfile SeedStages(int users) => LoadProfile.Stages(
        new Stage(TimeSpan.FromSeconds(30), users),
        new Stage(TimeSpan.FromMinutes(5), users),
        new Stage(TimeSpan.FromSeconds(30), 0));
}
