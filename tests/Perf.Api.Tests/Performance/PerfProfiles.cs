using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// The load of this suite under the library's profile switch (<c>PERF_PROFILE</c>, see <see cref="PerfProfile"/>):
/// <list type="bullet">
/// <item><c>pr</c> (the default): the pull-request gate. 100 users for 5 s, ramped up over the first second.</item>
/// <item><c>full</c>: the seed's k6 profile. 0 → 100 users over 30 s, 100 users for 5 min, 100 → 0 over 30 s;
/// constant-rate and one-line tests hold their load for the 5 minutes.</item>
/// <item><c>soak</c>: the leak tests hold 100 users for 30 minutes (<see cref="SoakHold"/>); never on pull requests.</item>
/// </list>
/// The same tests and budgets run under both; each profile keeps its own baselines.
/// </summary>
public static class PerfProfiles
{
    /// <summary>
    /// Why a test runs under the full profile only (xUnit's <c>SkipUnless = nameof(PerfProfile.IsFull)</c>): the
    /// pull-request suite must finish within 5 minutes from a clean clone, and a variant of a route the suite already
    /// gates (another transport, another load model, a second generation route) waits for the full run.
    /// </summary>
    public const string FullProfileOnly = "Runs under the full profile only (PERF_PROFILE=full): the pull-request suite keeps within 5 minutes.";

    /// <summary>Why a test runs under the soak profile only (<c>SkipUnless = nameof(PerfProfile.IsSoak)</c>): it holds its load for half an hour.</summary>
    public const string SoakProfileOnly = "Runs under the soak profile only (PERF_PROFILE=soak): it holds its load for 30 minutes, to find leaks.";

    /// <summary>How long the soak profile holds its load: 30 minutes here (hours where a nightly machine allows).</summary>
    public static readonly TimeSpan SoakHold = TimeSpan.FromMinutes(30);

    /// <summary>Concurrent virtual users at the peak, as in the seed.</summary>
    public const int Users = 100;

    /// <summary>How long steady load is held: 5 s (pr) or 5 min (full).</summary>
    public static TimeSpan Hold => PerfProfile.IsFull ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(5);

    /// <summary>
    /// What a user does between pages: reads for 100–300 ms. Without it 100 users loop as fast as they can,
    /// saturate both cores, and p95 measures the queue (capacity), which moves ±20% from one process to the
    /// next; with it the load is realistic and p95 measures the routes, stable enough to gate on.
    /// </summary>
    public static ThinkTime Reading => ThinkTime.Between(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300));

    /// <summary>
    /// What a user does after asking for a new plan: looks it over for 1.5–2.5 s. Generation costs tens of
    /// milliseconds of CPU (app and database); at 100–300 ms pauses 100 users would ask for more than two cores
    /// can generate, and p95 would measure the queue again.
    /// </summary>
    public static ThinkTime Deciding => ThinkTime.Between(TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(2500));

    /// <summary>Between the pages of a whole sitting (log in, generate, browse, shop): 1–2 s.</summary>
    public static ThinkTime Browsing => ThinkTime.Between(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

    /// <summary>
    /// The profile of the user journey, which runs under the full profile only: the seed's stages. (On pull requests it
    /// ramped the 100 users up over 10 s, so their sittings of about 10 s started spread out, and held them for 12 s:
    /// 28 s, the stage's longest test.)
    /// </summary>
    public static LoadProfile Journey => PerfProfile.SeedStages(Users);

    /// <summary>
    /// The profile of the generation tests: 100 users deciding for ~2 s between requests ask for about 40
    /// generations a second, so the pull-request profile holds them for 10 s.
    /// </summary>
    public static LoadProfile Generating => PerfProfile.Choose(
        pr: LoadProfile.Users(Users, TimeSpan.FromSeconds(10), rampUp: TimeSpan.FromSeconds(2)),
        full: PerfProfile.SeedStages(Users));

    /// <summary>The open-model rate of the one-line test: the request rate 100 reading users produce.</summary>
    public const double ArrivalsPerSecond = 500;

    /// <summary>The closed-model profile of scenario tests.</summary>
    public static LoadProfile Closed => PerfProfile.Choose(
        pr: LoadProfile.Users(Users, TimeSpan.FromSeconds(5), rampUp: TimeSpan.FromSeconds(1)),
        full: PerfProfile.SeedStages(Users));
}
