using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// How much load the performance tests apply, chosen by the environment variable <c>PERF_PROFILE</c>:
/// <list type="bullet">
/// <item><c>pr</c> (the default, also when unset): the pull-request gate. 100 users for 5 s, ramped up over
/// the first second; the whole suite takes well under two minutes.</item>
/// <item><c>full</c>: the seed's k6 profile for nightly or manual runs. 0 → 100 users over 30 s, 100 users
/// for 5 min, 100 → 0 over 30 s; constant-rate and one-line tests hold their load for the 5 minutes.</item>
/// </list>
/// The same tests and the same budgets run under both; only the length and shape of the load change.
/// Run the long one with <c>PERF_PROFILE=full dotnet test --filter Category=Performance</c>.
/// A later issue may move this switch into the library.
/// </summary>
public static class PerfProfiles
{
    /// <summary>The environment variable that selects the profile.</summary>
    public const string Variable = "PERF_PROFILE";

    /// <summary>Concurrent virtual users at the peak, as in the seed.</summary>
    public const int Users = 100;

    /// <summary>Whether the full (seed-length) profile is selected.</summary>
    /// <exception cref="PerfConfigurationException">The variable holds something other than <c>pr</c> or <c>full</c>.</exception>
    public static bool IsFull
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable)?.Trim();
            return value?.ToUpperInvariant() switch
            {
                null or "" or "PR" => false,
                "FULL" => true,
                _ => throw new PerfConfigurationException(
                    $"The environment variable {Variable} is '{value}'. Set it to 'pr' (the default: a few seconds per test) or 'full' (30 s ramp-up, 5 min hold, 30 s ramp-down), or unset it."),
            };
        }
    }

    /// <summary>The selected profile's name, <c>pr</c> or <c>full</c>.</summary>
    public static string Name => IsFull ? "full" : "pr";

    /// <summary>How long steady load is held: 5 s (pr) or 5 min (full). Used by the one-line and constant-rate tests.</summary>
    public static TimeSpan Hold => IsFull ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(5);

    /// <summary>The closed-model profile of scenario tests: ramp, hold and (full only) ramp-down of <see cref="Users"/> users.</summary>
    public static LoadProfile Closed => IsFull
        ? LoadProfile.Stages(
            new Stage(TimeSpan.FromSeconds(30), Users),
            new Stage(TimeSpan.FromMinutes(5), Users),
            new Stage(TimeSpan.FromSeconds(30), 0))
        : LoadProfile.Users(Users, TimeSpan.FromSeconds(5), rampUp: TimeSpan.FromSeconds(1));
}
