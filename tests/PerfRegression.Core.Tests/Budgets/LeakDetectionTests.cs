using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Budgets;

/// <summary>The trend of a soak's samples: a leak is significant growth beyond the stated rate, named with how fast it grew.</summary>
public sealed class LeakDetectionTests
{
    private const double MiB = 1024 * 1024;

    [Fact]
    public void Steady_growth_beyond_the_rate_is_a_leak_with_its_rate_and_interval()
    {
        // 60 s sampled every 5 s, 10 MiB a minute with ±200 KiB of noise, 100 requests a second.
        var samples = Samples(i => (40 * MiB) + (i * 5 * 10 * MiB / 60) + Noise(i, 200 * 1024));

        var trend = ResourceTrend.Fit("heap", samples, s => s.HeapBytes, 1 * MiB)!;

        trend.IsLeak.Should().BeTrue();
        trend.PerMinute.Should().BeApproximately(10 * MiB, 0.5 * MiB);
        trend.LowPerMinute.Should().BeGreaterThan(8 * MiB).And.BeLessThan(trend.PerMinute);
        trend.HighPerMinute.Should().BeGreaterThan(trend.PerMinute);
        trend.Per1000Requests.Should().BeApproximately(10 * MiB / 6, 0.1 * MiB, "100 requests a second are 6,000 a minute");
        trend.Samples.Should().Be(10, "the first quarter (0-15 s) is left out: caches fill there");
    }

    [Fact]
    public void A_flat_heap_is_no_leak_and_a_cache_filling_in_the_first_quarter_is_not_counted()
    {
        var flat = Samples(i => (40 * MiB) + Noise(i, 300 * 1024));
        var cache = Samples(i => (40 * MiB) + (Math.Min(i, 2) * 8 * MiB) + Noise(i, 300 * 1024));

        ResourceTrend.Fit("heap", flat, s => s.HeapBytes, 1 * MiB)!.IsLeak.Should().BeFalse();
        ResourceTrend.Fit("heap", cache, s => s.HeapBytes, 1 * MiB)!.IsLeak.Should().BeFalse("16 MiB filled within the first 10 s, then nothing");
    }

    [Fact]
    public void Significant_growth_under_the_stated_rate_is_no_leak()
    {
        var slow = Samples(i => (40 * MiB) + (i * 5 * 0.4 * MiB / 60));

        var trend = ResourceTrend.Fit("heap", slow, s => s.HeapBytes, 1 * MiB)!;

        trend.LowPerMinute.Should().BeGreaterThan(0);
        trend.IsLeak.Should().BeFalse();
    }

    [Fact]
    public async Task A_leak_reads_in_the_verdict_with_the_resource_and_how_fast_it_grew()
    {
        var report = Sampled(
            Enumerable.Range(0, 13).Select(i => new ResourceSample(i * 5, i * 500, (long)((40 * MiB) + (i * 5 * 10 * MiB / 60) + Noise(i, 200 * 1024)), 100 + (i % 2), 20 + (i % 3), 4)).ToArray(),
            requests: 6_500);

        var result = await new LeakCheck().EvaluateAsync(new CheckContext(TestIdentity.From(typeof(LeakDetectionTests).GetMethod(nameof(A_leak_reads_in_the_verdict_with_the_resource_and_how_fast_it_grew))!), new PerfSettings(), [report]), TestContext.Current.CancellationToken);

        result.Severity.Should().Be(CheckSeverity.Fail);
        result.Items.Where(i => i.Severity == CheckSeverity.Fail).Select(i => i.Check).Should().Equal("heap trend");
        Snapshot.Match(TestVerdict.Of([report], [result], "SoakTests.Plan_calendar_for_an_hour").Text);
    }

    [Fact]
    public async Task Too_few_samples_give_no_trend_and_the_check_says_how_long_to_run()
    {
        var sampled = Sampled(Samples(i => 40 * MiB, count: 4));

        var result = await new LeakCheck().EvaluateAsync(new CheckContext(TestIdentity.From(typeof(LeakDetectionTests).GetMethod(nameof(Too_few_samples_give_no_trend_and_the_check_says_how_long_to_run))!), new PerfSettings(), [sampled]), TestContext.Current.CancellationToken);

        result.Severity.Should().Be(CheckSeverity.Fail);
        result.Problems.Should().ContainSingle().Which.Should().Contain("a trend needs 6").And.Contain("Run it for at least").And.Contain("PERF_PROFILE=soak");
    }

    [Fact]
    public async Task A_run_without_samples_cannot_pass_a_leak_check()
    {
        var report = Reports.WithResources(requests: 400, cpu: TimeSpan.FromMilliseconds(300), allocated: 1_000, gen0: 0);

        var result = await new LeakCheck().EvaluateAsync(new CheckContext(TestIdentity.From(typeof(LeakDetectionTests).GetMethod(nameof(A_run_without_samples_cannot_pass_a_leak_check))!), new PerfSettings(), [report]), TestContext.Current.CancellationToken);

        result.Severity.Should().Be(CheckSeverity.Fail);
        result.Problems.Should().ContainSingle().Which.Should().Contain("the run took no resource samples");
    }

    [Fact]
    public void Impossible_rates_are_refused_with_every_problem()
    {
        var act = () => new LeakCheckAttribute { HeapMegabytesPerMinute = 0, ThreadsPerMinute = double.NaN, SampleIntervalSeconds = 0.01 }.Before(typeof(LeakDetectionTests).GetMethod(nameof(Impossible_rates_are_refused_with_every_problem))!, null!);

        act.Should().Throw<PerfConfigurationException>().Which.Message.Should()
            .Contain("HeapBytesPerMinute is 0; it must be a rate greater than zero")
            .And.Contain("ThreadsPerMinute is NaN")
            .And.Contain("SampleInterval is 10 ms; it must be between 100 ms and 1 hour");
    }

    [Fact]
    public void Merged_trials_keep_their_samples_back_to_back()
    {
        var first = Sampled(Samples(i => 1, count: 2));
        var second = Sampled(Samples(i => 2, count: 2));

        var merged = LoadReport.Merge(first, second);

        var samples = merged.ResourceSamples!;
        samples.Select(s => (s.Requests, s.HeapBytes)).Should().Equal((0, 1), (500, 1), (400, 2), (900, 2));
        samples.Select(s => s.Seconds).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems("the first trial's last sample, taken as it ended, comes before the second trial's first");
        samples[2].Seconds.Should().BeApproximately(5, 0.01);
        samples[3].Seconds.Should().BeApproximately(10, 0.01);
    }

    private static ResourceSample[] Samples(Func<int, double> heap, int count = 13)
        => Enumerable.Range(0, count).Select(i => new ResourceSample(i * 5, i * 500, (long)heap(i), 100, 20, null)).ToArray();

    // Deterministic noise in [-amplitude, amplitude].
    private static double Noise(int i, double amplitude) => amplitude * Math.Sin(i * 2.399963);

    /// <summary>A run of <paramref name="requests"/> requests (5 s) that took these resource samples.</summary>
    private static LoadReport Sampled(IReadOnlyList<ResourceSample> samples, int requests = 400)
        => Reports.WithResources(requests, cpu: TimeSpan.FromMilliseconds(300), allocated: 1_000, gen0: 0, samples: samples);
}
