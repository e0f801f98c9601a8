namespace PerfRegression.Tests.Runner;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void Constant_rate_spaces_iterations_evenly()
    {
        var schedule = new ArrivalSchedule(10, [new RateStage(TimeSpan.FromSeconds(2), 10)]);

        schedule.OffsetOf(0).Should().Be(TimeSpan.Zero);
        schedule.OffsetOf(1).Should().Be(TimeSpan.FromMilliseconds(100));
        schedule.OffsetOf(19).Should().Be(TimeSpan.FromMilliseconds(1900));
        schedule.OffsetOf(20).Should().BeNull("20 iterations fill 2 s at 10/s");
        schedule.CountBefore(TimeSpan.FromSeconds(1)).Should().Be(10);
        schedule.CountBefore(TimeSpan.FromMilliseconds(1001)).Should().Be(11);
    }

    [Fact]
    public void Ramping_rate_follows_the_integral_of_the_rate()
    {
        // 0 → 100/s over 10 s: arrivals by t are 5·t², so iteration i is due at sqrt(i/5).
        var schedule = new ArrivalSchedule(0, [new RateStage(TimeSpan.FromSeconds(10), 100)]);

        schedule.TotalArrivals.Should().BeApproximately(500, 1e-9);
        schedule.OffsetOf(5)!.Value.TotalSeconds.Should().BeApproximately(1, 1e-9);
        schedule.OffsetOf(125)!.Value.TotalSeconds.Should().BeApproximately(5, 1e-9);
        schedule.CountBefore(TimeSpan.FromSeconds(2)).Should().Be(20);
    }

    [Fact]
    public void Offsets_and_counts_agree_across_stages()
    {
        var schedule = new ArrivalSchedule(20, [
            new RateStage(TimeSpan.FromSeconds(3), 80),
            new RateStage(TimeSpan.FromSeconds(2), 80),
            new RateStage(TimeSpan.FromSeconds(1), 0),
        ]);

        TimeSpan previous = TimeSpan.MinValue;
        for (long i = 0; schedule.OffsetOf(i) is { } offset; i++)
        {
            offset.Should().BeGreaterThanOrEqualTo(previous, "intended starts never go back in time");
            schedule.CountBefore(offset + TimeSpan.FromTicks(1)).Should().Be(i + 1);
            previous = offset;
        }

        // 20→80 over 3 s = 150, 80 over 2 s = 160, 80→0 over 1 s = 40.
        schedule.CountBefore(TimeSpan.FromSeconds(6)).Should().Be(350);
    }
}
