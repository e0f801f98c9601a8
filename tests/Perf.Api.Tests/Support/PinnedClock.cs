namespace Perf.Api.Tests.Support;

/// <summary>
/// A clock whose calendar starts at a fixed instant and then runs at real speed. The app accepts weeks
/// within 52 weeks of "today", so pinning today keeps tests that name a week (2026-11-23) valid after
/// the real date has moved on; timers and timestamps stay those of the system clock.
/// </summary>
internal sealed class PinnedClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _origin = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start + GetElapsedTime(_origin);
}
