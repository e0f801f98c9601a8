using PerfRegression.Engine;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>A spike of load, and how long latency takes to come back after it.</summary>
public sealed class SpikeRecoveryTests
{
    [Fact]
    public void A_spike_jumps_to_its_peak_in_a_second_holds_it_and_comes_back()
    {
        var profile = (ClosedLoadProfile)LoadProfile.Spike(users: 10, peakUsers: 100, before: TimeSpan.FromSeconds(10), spike: TimeSpan.FromSeconds(5), after: TimeSpan.FromSeconds(20));

        profile.Duration.Should().Be(TimeSpan.FromSeconds(35));
        profile.MaxConcurrency.Should().Be(100);
        double At(double seconds) => profile.Schedule.LevelAt(TimeSpan.FromSeconds(seconds));
        (At(5), At(10.5), At(13), At(15.5), At(30)).Should().Be((10, 55, 100, 55, 10));
    }

    [Fact]
    public void A_spike_that_adds_nothing_or_has_no_room_to_jump_is_refused_with_every_problem()
    {
        var act = () => LoadProfile.Spike(users: 10, peakUsers: 10, before: TimeSpan.FromSeconds(1), spike: TimeSpan.FromSeconds(5), after: TimeSpan.Zero);

        act.Should().Throw<PerfConfigurationException>().Which.Message.Should()
            .Contain("The spike's peak is 10 users, not above its steady 10")
            .And.Contain("The spike's 'before' phase is 1 s; it must be at least 2 s")
            .And.Contain("The spike's 'after' phase is 0 ms; it must be at least 2 s");
    }

    [Fact]
    public void Recovery_is_the_time_from_the_spike_end_until_p95_stays_near_its_level_before()
    {
        // p95 per second: 10 ms for 10 s, 80 ms during the spike (10-15 s), then 60, 40, 30, 11, 12, 10... ms.
        double[] p95 = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 80, 80, 80, 80, 80, 60, 40, 30, 11, 12, 10, 10, 11, 10, 10];
        var report = WithTimeline(p95);

        report.RecoveryAfter(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15)).Should().Be(TimeSpan.FromSeconds(3), "p95 is within 25% of 10 ms from the 18th second on");
        report.RecoveryAfter(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), tolerance: 4.5).Should().Be(TimeSpan.FromSeconds(1), "within 55 ms from the 16th second on");
        WithTimeline([10, 10, 80, 80, 80]).RecoveryAfter(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)).Should().BeNull("it never came back before the run ended");
        WithTimeline([10, 10, 10, 10]).RecoveryAfter(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)).Should().Be(TimeSpan.Zero);
    }

    private static LoadReport WithTimeline(double[] p95)
    {
        var intervals = p95.Select((p, i) => new TimelineInterval(i, 1, 10, 10, 10, 0, null, 0, 0, 0, 0, 4, null, [new TimelineRoute("a", 10, 0, p / 2, p, p, p)])).ToArray();
        return Reports.WithResources(requests: 100, cpu: TimeSpan.FromMilliseconds(100), allocated: 1_000, gen0: 0, timeline: new Timeline(1, intervals));
    }
}
