namespace PerfRegression;

/// <summary>
/// The pull-request, full and soak profiles of one test: the same test under a switch
/// (<c>PERF_PROFILE=pr|full|soak</c>), each with its own baselines. The soak profile runs the same tests longer, to
/// find leaks (<c>[LeakCheck]</c>) and exhaustion; it never runs on pull requests.
/// </summary>
public static class PerfProfile
{
    /// <summary>The active profile's name: <c>pr</c>, <c>full</c> or <c>soak</c>.</summary>
    public static string Name => PerfSettings.Current.Profile;

    /// <summary>Whether the full (seed-length) profile is active.</summary>
    public static bool IsFull => Name == "full";

    /// <summary>Whether the soak profile is active: the same tests held long, for leaks and exhaustion.</summary>
    public static bool IsSoak => Name == "soak";

    /// <summary>Picks <paramref name="pr"/> or <paramref name="full"/> by the active profile (the full one under soak too).</summary>
    public static LoadProfile Choose(LoadProfile pr, LoadProfile full) => IsFull || IsSoak ? full : pr;

    /// <summary>Picks <paramref name="pr"/>, <paramref name="full"/> or <paramref name="soak"/> by the active profile.</summary>
    public static LoadProfile Choose(LoadProfile pr, LoadProfile full, LoadProfile soak) => IsSoak ? soak : IsFull ? full : pr;

    /// <summary>
    /// The seed stories' full profile for <paramref name="users"/>: ramp up over 30 s, hold 5 min, ramp down over 30 s.
    /// </summary>
    public static LoadProfile SeedStages(int users) => LoadProfile.Stages(
        new Stage(TimeSpan.FromSeconds(30), users),
        new Stage(TimeSpan.FromMinutes(5), users),
        new Stage(TimeSpan.FromSeconds(30), 0));
}
