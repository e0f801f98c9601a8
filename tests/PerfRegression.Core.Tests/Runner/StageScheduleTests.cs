namespace PerfRegression.Tests.Runner;

public sealed class StageScheduleTests
{
    private static readonly StageSchedule Seed = new([
        new Stage(TimeSpan.FromSeconds(30), 100),
        new Stage(TimeSpan.FromMinutes(5), 100),
        new Stage(TimeSpan.FromSeconds(30), 0),
    ]);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(15, 50)]
    [InlineData(30, 100)]
    [InlineData(200, 100)]
    [InlineData(345, 50)]
    [InlineData(360, 0)]
    [InlineData(400, 0)]
    public void Level_follows_the_seed_stages(double seconds, double users)
        => Seed.LevelAt(TimeSpan.FromSeconds(seconds)).Should().BeApproximately(users, 1e-9);

    [Fact]
    public void A_user_becomes_active_when_the_ramp_reaches_it()
    {
        var end = TimeSpan.FromMinutes(6);
        Seed.IsActive(0, TimeSpan.Zero).Should().BeFalse();
        Seed.NextActive(0, TimeSpan.Zero, end).Should().Be(TimeSpan.FromSeconds(0.3));
        Seed.NextActive(49, TimeSpan.Zero, end).Should().Be(TimeSpan.FromSeconds(15));
        Seed.NextActive(99, TimeSpan.Zero, end).Should().Be(TimeSpan.FromSeconds(30));
        Seed.IsActive(99, TimeSpan.FromSeconds(31)).Should().BeTrue();
    }

    [Fact]
    public void During_ramp_down_the_highest_users_stop_first_and_never_return()
    {
        var end = TimeSpan.FromMinutes(6);
        Seed.IsActive(99, TimeSpan.FromSeconds(331)).Should().BeFalse();
        Seed.IsActive(0, TimeSpan.FromSeconds(331)).Should().BeTrue();
        Seed.NextActive(99, TimeSpan.FromSeconds(331), end).Should().BeNull();
    }

    [Fact]
    public void Constant_profile_keeps_every_user_active()
    {
        var profile = (ClosedLoadProfile)LoadProfile.Users(8, TimeSpan.FromSeconds(5));
        profile.Schedule.IsActive(7, TimeSpan.Zero).Should().BeTrue();
        profile.Schedule.IsActive(8, TimeSpan.Zero).Should().BeFalse();
        profile.Schedule.NextActive(8, TimeSpan.Zero, TimeSpan.FromSeconds(5)).Should().BeNull();
    }

    [Fact]
    public void Ramp_up_is_counted_inside_the_duration()
    {
        var profile = (ClosedLoadProfile)LoadProfile.Users(10, TimeSpan.FromSeconds(10), rampUp: TimeSpan.FromSeconds(2));
        profile.Duration.Should().Be(TimeSpan.FromSeconds(10));
        profile.Schedule.LevelAt(TimeSpan.FromSeconds(1)).Should().BeApproximately(5, 1e-9);
        profile.Schedule.LevelAt(TimeSpan.FromSeconds(9)).Should().BeApproximately(10, 1e-9);
    }

    [Fact]
    public void The_full_profile_is_the_seed_stories_ramp_hold_and_ramp_down()
    {
        var profile = PerfProfile.SeedStages(100);
        profile.Description.Should().Be("closed: stages 100 users over 30 s, 100 users over 5 min, 0 users over 30 s");
        profile.Duration.Should().Be(TimeSpan.FromMinutes(6));
        profile.MaxConcurrency.Should().Be(100);
        PerfProfile.Choose(LoadProfile.Users(1, TimeSpan.FromSeconds(1)), profile).Should().NotBeSameAs(profile, "the default profile is pr");
    }
}
