using PerfRegression.Engine;

namespace PerfRegression.Tests.Runner;

/// <summary>
/// A stall is the pause between two consecutive completions, found wherever it falls against the sampler's windows:
/// a 400 ms pause with 250 ms windows holds no whole idle window when it straddles a late sample.
/// </summary>
public sealed class StallDetectionTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void A_pause_straddling_every_window_boundary_is_found_with_its_real_length()
    {
        // Completions every millisecond except from 603 ms to 1,003 ms; the sampler's 1,000 ms tick fired 10 ms late.
        var samples = Samples((250, 250, 1), (500, 500, 251), (750, 603, 501), (1_010, 1_010, 1_003), (1_250, 1_250, 1_011), (1_500, 1_500, 1_251), (1_600, 1_600, 1_501));

        var stall = RuntimeSampler.FindStalls(samples, TimeSpan.FromMilliseconds(1_600), _ => true, Interval).Should().ContainSingle().Which;

        stall.Offset.Should().Be(TimeSpan.FromMilliseconds(603));
        stall.Duration.Should().Be(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void A_pause_over_several_idle_windows_is_one_stall()
    {
        var samples = Samples((250, 250, 1), (500, 300, 251), (750, null, null), (1_000, null, null), (1_250, 1_250, 1_100), (1_500, 1_500, 1_251));

        var stall = RuntimeSampler.FindStalls(samples, TimeSpan.FromMilliseconds(1_500), _ => true, Interval).Should().ContainSingle().Which;

        stall.Offset.Should().Be(TimeSpan.FromMilliseconds(300));
        stall.Duration.Should().Be(TimeSpan.FromMilliseconds(800));
    }

    [Fact]
    public void A_pause_shorter_than_the_sampling_interval_is_no_stall()
    {
        var samples = Samples((250, 250, 1), (500, 300, 251), (750, 750, 540), (1_000, 1_000, 751));

        RuntimeSampler.FindStalls(samples, TimeSpan.FromSeconds(1), _ => true, Interval).Should().BeEmpty();
    }

    [Fact]
    public void A_pause_in_which_the_average_rate_predicts_fewer_than_five_completions_is_no_stall()
    {
        // One completion a second: a 900 ms pause is the normal rhythm, not a stall.
        var samples = Samples((250, null, null), (500, null, null), (750, null, null), (1_000, 1_000, 1_000), (2_000, 2_000, 2_000), (3_000, 3_000, 3_000), (4_000, 4_000, 4_000));

        RuntimeSampler.FindStalls(samples, TimeSpan.FromSeconds(4), _ => true, Interval).Should().BeEmpty();
    }

    [Fact]
    public void A_pause_where_no_load_was_expected_is_no_stall()
    {
        var samples = Samples((250, 250, 1), (500, 300, 251), (750, null, null), (1_000, 1_000, 900), (1_250, 1_250, 1_001));

        RuntimeSampler.FindStalls(samples, TimeSpan.FromMilliseconds(1_250), offset => offset < TimeSpan.FromMilliseconds(300), Interval).Should().BeEmpty();
    }

    [Fact]
    public void A_pause_still_open_when_the_run_stopped_ends_with_the_run()
    {
        var samples = Samples((250, 250, 1), (500, 500, 251), (750, 510, 501), (1_000, null, null), (1_250, null, null));

        var stall = RuntimeSampler.FindStalls(samples, TimeSpan.FromMilliseconds(1_250), _ => true, Interval).Should().ContainSingle().Which;

        stall.Offset.Should().Be(TimeSpan.FromMilliseconds(510));
        stall.Duration.Should().Be(TimeSpan.FromMilliseconds(740));
    }

    [Fact]
    public void A_late_first_completion_is_a_stall_from_the_start_of_the_phase()
    {
        var samples = Samples((250, null, null), (500, 500, 400), (750, 750, 501), (1_000, 1_000, 751));

        var stall = RuntimeSampler.FindStalls(samples, TimeSpan.FromSeconds(1), _ => true, Interval).Should().ContainSingle().Which;

        stall.Offset.Should().Be(TimeSpan.Zero);
        stall.Duration.Should().Be(TimeSpan.FromMilliseconds(400));
    }

    /// <summary>Samples at the given offsets with the latest and first completion of each window, at a steady 1 completion per ms where any.</summary>
    private static RuntimeSampler.RuntimeSample[] Samples(params (int At, int? Latest, int? First)[] windows)
    {
        long completed = 0;
        return windows.Select(w =>
        {
            if (w.First is { } first && w.Latest is { } latest)
            {
                completed += latest - first + 1;
            }

            return new RuntimeSampler.RuntimeSample(
                TimeSpan.FromMilliseconds(w.At),
                TimeSpan.Zero,
                0,
                0,
                completed,
                LastCompletion: w.Latest is { } l ? TimeSpan.FromMilliseconds(l) : null,
                FirstCompletion: w.First is { } f ? TimeSpan.FromMilliseconds(f) : null);
        }).ToArray();
    }
}
