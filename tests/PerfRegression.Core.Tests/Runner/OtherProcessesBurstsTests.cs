using PerfRegression.Engine;

namespace PerfRegression.Tests.Runner;

public sealed class OtherProcessesBurstsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void A_burst_diluted_in_the_average_is_found_window_by_window()
    {
        // 12 windows of 250 ms on 2 cores: this process uses 30% of the machine throughout; the machine is 33% busy,
        // except in one window where other processes take it to 95%. On average they held 8%, below the tenth the
        // average rule needs, yet for a twelfth of the run (more than a p95's tail) they held 65%.
        var samples = Samples(busyPerWindow: [33, 33, 33, 33, 33, 95, 33, 33, 33, 33, 33, 33], ownShare: 0.3);

        var bursts = RuntimeSampler.FindOtherProcessesBursts(samples, Start, cores: 2);

        bursts.Should().NotBeNull();
        bursts!.Value.Duration.Should().Be(Window);
        bursts.Value.Peak.Should().BeApproximately(0.65, 1e-9);

        var health = Health(machine: 33.0 * 11 / 12 / 100 + 0.95 / 12, own: 0.3) with { OtherProcessesBursts = bursts };
        health.OtherProcessesCpu.Should().BeLessThan(0.1);
        health.DisturbedByOtherProcesses.Should().BeTrue();
    }

    [Fact]
    public void Steady_light_use_by_other_processes_is_no_burst()
    {
        var samples = Samples(busyPerWindow: [38, 36, 40, 38, 39, 37, 38, 38, 40, 36, 38, 38], ownShare: 0.3);

        var bursts = RuntimeSampler.FindOtherProcessesBursts(samples, Start, cores: 2);

        bursts!.Value.Duration.Should().Be(TimeSpan.Zero);
        bursts.Value.Peak.Should().BeApproximately(0.10, 1e-9);
        (Health(machine: 0.38, own: 0.3) with { OtherProcessesBursts = bursts }).DisturbedByOtherProcesses.Should().BeFalse();
    }

    [Fact]
    public void The_system_under_tests_own_server_processes_are_no_burst()
    {
        // The database's processes take the machine to 95% in one window: that is the system's work, not a disturbance.
        var samples = Samples(busyPerWindow: [33, 33, 95, 33], ownShare: 0.3, serverPerWindow: [0, 0, 62, 0]);

        RuntimeSampler.FindOtherProcessesBursts(samples, Start with { ServerJiffies = 0 }, cores: 2)!.Value.Duration.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Without_the_machines_readings_nothing_is_claimed()
        => RuntimeSampler.FindOtherProcessesBursts(Samples([33, 95], 0.3), Start with { Machine = null }, cores: 2).Should().BeNull();

    private static readonly RuntimeSampler.RuntimeSample Start = new(TimeSpan.Zero, TimeSpan.Zero, 0, 0, 0, Machine: (0, 0));

    /// <summary>Samples whose machine reading advances 100 jiffies per window, <paramref name="busyPerWindow"/> of them busy.</summary>
    private static List<RuntimeSampler.RuntimeSample> Samples(long[] busyPerWindow, double ownShare, long[]? serverPerWindow = null)
    {
        var samples = new List<RuntimeSampler.RuntimeSample>();
        long busy = 0, total = 0, server = 0;
        for (var i = 0; i < busyPerWindow.Length; i++)
        {
            busy += busyPerWindow[i];
            total += 100;
            server += serverPerWindow?[i] ?? 0;
            var offset = Window * (i + 1);
            samples.Add(new RuntimeSampler.RuntimeSample(offset, offset * 2 * ownShare, 0, 4, i, Machine: (busy, total), ServerJiffies: serverPerWindow is null ? null : server));
        }

        return samples;
    }

    private static RuntimeHealth Health(double machine, double own) => new(
        Samples: 12, CpuCores: 2, CpuAverage: own, CpuMax: own, Gen0Collections: 0, Gen1Collections: 0, Gen2Collections: 0,
        GcPause: TimeSpan.Zero, AllocatedBytes: 0, ThreadPoolQueueMax: 0, ThreadPoolQueueAverage: 0,
        ThreadPoolThreadsAtStart: 4, ThreadPoolThreadsMax: 4, Stalls: [], MeasuredDuration: Window * 12, OpenModel: false, MachineCpuAverage: machine);
}
