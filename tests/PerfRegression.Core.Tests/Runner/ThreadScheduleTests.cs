using PerfRegression.Measurement;

namespace PerfRegression.Tests.Runner;

/// <summary>The kernel's per-thread scheduler statistics: the wait for a core, and the tiering thread's CPU.</summary>
public sealed class ThreadScheduleTests
{
    [Fact]
    public void Two_readings_give_this_process_threads_wait_and_the_tiering_threads_cpu()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The kernel's scheduler statistics are read from /proc (Linux).");

        var start = ThreadSchedule.Read();
        var spin = System.Diagnostics.Stopwatch.StartNew();
        while (spin.ElapsedMilliseconds < 20)
        {
            // on a core for a moment
        }

        var end = ThreadSchedule.Read();

        start.Should().NotBeNull();
        end.Should().NotBeNull();
        var (waited, tiering) = ThreadSchedule.Between(start, end)!.Value;
        waited.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero);
        tiering.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero);
        end!.Max(t => t.Value.OnCpu - (start!.TryGetValue(t.Key, out var before) ? before.OnCpu : 0)).Should().BeGreaterThan(1_000_000, "this thread spun for 20 ms");
    }

    [Fact]
    public void Without_readings_there_is_nothing_to_compare()
        => ThreadSchedule.Between(null, ThreadSchedule.Read()).Should().BeNull();
}
