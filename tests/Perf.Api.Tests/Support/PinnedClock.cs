namespace Perf.Api.Tests.Support;

/// <summary>
/// A clock whose calendar starts at a fixed instant and then runs at real speed. The app accepts weeks
/// near "today", so pinning today keeps tests that name a week (2026-11-23) valid after the real date has
/// moved on; timers and timestamps stay those of the system clock. <see cref="Advance"/> moves the
/// calendar, e.g. past a session's expiry.
/// </summary>
public sealed class PinnedClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _origin = System.GetTimestamp();
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => start + _offset + GetElapsedTime(_origin);

    /// <summary>Moves the calendar by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by) => _offset += by;
}
