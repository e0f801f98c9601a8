using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// The PERF_PROFILE switch itself: plain, fast tests without the Performance category. They set the
/// variable in this process and restore it; the assembly runs its tests one at a time.
/// </summary>
public sealed class PerfProfilesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("pr")]
    [InlineData(" PR ")]
    public void Pr_profile_is_100_users_for_5_seconds_with_a_1_second_ramp(string? value) => WithProfile(value, () =>
    {
        PerfProfiles.IsFull.Should().BeFalse();
        PerfProfiles.Name.Should().Be("pr");
        PerfProfiles.Hold.Should().Be(TimeSpan.FromSeconds(5));
        PerfProfiles.Closed.Description.Should().Be("closed: 100 users for 5 s (ramp-up 1 s)");
    });

    [Theory]
    [InlineData("full")]
    [InlineData("FULL")]
    public void Full_profile_is_the_seeds_ramp_hold_and_ramp_down(string value) => WithProfile(value, () =>
    {
        PerfProfiles.IsFull.Should().BeTrue();
        PerfProfiles.Name.Should().Be("full");
        PerfProfiles.Hold.Should().Be(TimeSpan.FromMinutes(5));
        PerfProfiles.Closed.MaxConcurrency.Should().Be(100);
        PerfProfiles.Closed.Duration.Should().Be(TimeSpan.FromMinutes(6));
        PerfProfiles.Closed.Description.Should().Be("closed: stages 100 users over 30 s, 100 users over 5 min, 0 users over 30 s");
    });

    [Fact]
    public void Unknown_profile_says_which_values_are_allowed() => WithProfile("nightly", () =>
    {
        var read = () => PerfProfiles.IsFull;

        read.Should().Throw<PerfConfigurationException>().WithMessage(
            "The environment variable PERF_PROFILE is 'nightly'. Set it to 'pr' (the default: a few seconds per test) or 'full' (30 s ramp-up, 5 min hold, 30 s ramp-down), or unset it.");
    });

    private static void WithProfile(string? value, Action test)
    {
        var saved = Environment.GetEnvironmentVariable(PerfProfiles.Variable);
        Environment.SetEnvironmentVariable(PerfProfiles.Variable, value);
        try
        {
            test();
        }
        finally
        {
            Environment.SetEnvironmentVariable(PerfProfiles.Variable, saved);
        }
    }
}
