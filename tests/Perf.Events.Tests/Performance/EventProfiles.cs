using PerfRegression;

namespace Perf.Events.Tests.Performance;

/// <summary>
/// The load of seed 004's plan under the library's profile switch (<c>PERF_PROFILE</c>):
/// <list type="bullet">
/// <item><c>pr</c> (the default): each test's load in about 5 s, at the seed's rates or above, so the pull-request suite keeps
/// within 5 minutes.</item>
/// <item><c>full</c>: the seed's k6 profiles — 500 RSVPs in 10 minutes, half in the first 2; webhooks at 100/s for
/// 5 minutes; 50 room participants for 5 minutes.</item>
/// </list>
/// Budgets are the seed's targets under both; each profile keeps its own baselines.
/// </summary>
public static class EventProfiles
{
    /// <summary>
    /// Why a test runs under the full profile only: the pull-request suite must finish within 5 minutes from a clean
    /// clone, and a test that re-states what the suite already gates (seed 002's thresholds over the routes the webhook
    /// burst gates) waits for the full run.
    /// </summary>
    public const string FullProfileOnly = "Runs under the full profile only (PERF_PROFILE=full): the pull-request suite keeps within 5 minutes.";

    /// <summary>
    /// The RSVP flash crowd against the launch event's 400 seats: in the full profile the seed's 500 arrivals in 10 minutes,
    /// half of them in the first 2; in the pull-request profile 600 arrivals in 5 s, half in the first 2 s (150 a
    /// second), so the crowd is at the door together when the last seats go and 200 are turned away.
    /// </summary>
    public static LoadProfile FlashCrowd => PerfProfile.Choose(
        pr: LoadProfile.FlashCrowd(600, TimeSpan.FromSeconds(5), maxConcurrency: 100, peakShare: 0.5, peakWindow: TimeSpan.FromSeconds(2)),
        full: LoadProfile.FlashCrowd(500, TimeSpan.FromMinutes(10), maxConcurrency: 500));

    /// <summary>The seed's webhook burst: 100 deliveries a second, for 5 s (pr) or 5 minutes (full).</summary>
    public static LoadProfile WebhookBurst => LoadProfile.ConstantRate(100, PerfProfile.IsFull ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(5), maxConcurrency: 100);

    /// <summary>The seed's room: 50 participants, for 5 s (pr) or 5 minutes (full), joining over the first second.</summary>
    public static LoadProfile Room => LoadProfile.Users(50, PerfProfile.IsFull ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(5), rampUp: TimeSpan.FromSeconds(1));

    /// <summary>
    /// What a participant does between messages: reads for 0.5–1.5 s. (The seed's 5 messages a minute would send about
    /// 20 in a 5-s run; this sends about 200, so the round trip's percentiles rest on enough messages.)
    /// </summary>
    public static ThinkTime Chatting => ThinkTime.Between(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500));
}
