namespace PerfRegression.Benchmarks.Support;

/// <summary>
/// A clock whose calendar starts at a fixed instant and then runs at real speed (timers and timestamps stay the
/// system's). The sample accepts only weeks near "today"; pinning today keeps the weeks a suite names valid after
/// the real date has moved on. The same idea as the sample's performance tests use, kept here so the benchmarks
/// do not depend on a test project.
/// </summary>
internal sealed class PinnedClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _origin = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start + GetElapsedTime(_origin);
}
