using System.Diagnostics;
using PerfRegression.Engine;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>
/// Every run keeps its timeline: per interval and route, requests, errors and latency percentiles from interval
/// histograms, so a stall shows in the second it happened, with the load offered and the process's health.
/// </summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class TimelineTests
{
    [Fact]
    public async Task A_500_ms_stall_shows_in_the_second_it_ended_and_nowhere_else()
    {
        var freezeAt = 0L;
        var freezeStartUtcTicks = 0L;
        var freeze = Stopwatch.Frequency / 2;
        var scenario = Scenario.Create("stall").Step("work", async (_, ct) =>
        {
            var now = Stopwatch.GetTimestamp();
            if (Interlocked.CompareExchange(ref freezeAt, now + (Stopwatch.Frequency * 22 / 10), 0) == 0)
            {
                // The freeze begins 2.2 s after the first step, read on the wall clock as the report's StartedAt is.
                Interlocked.Exchange(ref freezeStartUtcTicks, DateTimeOffset.UtcNow.AddMilliseconds(2_200).UtcTicks);
            }

            var from = Interlocked.Read(ref freezeAt);
            if (now >= from && now < from + freeze)
            {
                // Every request that starts in the freeze waits for its end: the slowest of them take 500 ms.
                await Task.Delay(TimeSpan.FromSeconds((double)(from + freeze - now) / Stopwatch.Frequency), ct);
            }
            else
            {
                await Task.Delay(2, ct);
            }
        });

        var report = await Load.RunAsync(LoadTarget.FromClientFactory("code", () => new HttpClient()), scenario, LoadProfile.Users(4, TimeSpan.FromMilliseconds(4_500)), new LoadOptions { Warmup = TimeSpan.Zero }, TestContext.Current.CancellationToken);

        var timeline = report.Timeline.Should().NotBeNull().And.Subject.As<Timeline>();
        var freezeEnd = (new DateTimeOffset(Interlocked.Read(ref freezeStartUtcTicks), TimeSpan.Zero) - report.StartedAt).TotalSeconds + 0.5;
        var rows = string.Join("; ", timeline.Intervals.Select(i => $"{i.StartSeconds:0.###} s: {i.Requests} requests, max {(i.Routes.Count > 0 ? i.Routes[0].Max : 0):0.#} ms"));
        var seen = $"the freeze ended {freezeEnd:0.###} s into the phase; intervals: {rows}";

        timeline.IntervalSeconds.Should().Be(1);
        timeline.Intervals.Should().HaveCountGreaterThanOrEqualTo(4, seen).And.HaveCountLessThanOrEqualTo(6, seen);
        timeline.Intervals.Sum(i => i.Requests).Should().Be(report.Overall.Count, "every completion falls in one interval");
        timeline.Intervals.Should().OnlyContain(i => i.Users == 4 && i.Routes.All(r => r.Name == "work"), seen);

        var stalled = timeline.Intervals.Single(i => i.StartSeconds <= freezeEnd && freezeEnd < i.StartSeconds + i.Seconds);
        stalled.Routes.Single().Max.Should().BeGreaterThan(450, seen);
        timeline.Intervals.Where(i => i.StartSeconds + i.Seconds < freezeEnd - 1 || i.StartSeconds > freezeEnd + 0.2)
            .Should().OnlyContain(i => i.Routes.Single().Max < 250, "only the requests caught in the freeze took long: " + seen);
    }

    [Fact]
    public void A_timeline_survives_the_results_json()
    {
        var timeline = new Timeline(1, [new TimelineInterval(0, 1, 10, 42, 40, 1, 0.35, 3, 1, 0, 2, 8, 40, [new TimelineRoute("GET /plan", 40, 1, 2.1, 5.4, 9.9, 12.5)])]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(Reports.Report("s", Reports.Route("GET /plan", [2.1, 5.4])).ToJson())!;
        json["timeline"] = System.Text.Json.JsonSerializer.SerializeToNode(timeline, PerfRegression.Text.JsonFormat.Options);

        var read = LoadReport.FromJson(json.ToJsonString());

        read.Timeline.Should().BeEquivalentTo(timeline);
        LoadReport.FromJson(read.ToJson()).Timeline.Should().BeEquivalentTo(timeline, "a report read back writes its timeline again");
    }

    [Fact]
    public void A_long_run_widens_its_intervals_to_keep_the_timeline_bounded()
    {
        TimelineRecorder.For(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)).Should().Be(TimeSpan.FromSeconds(1));
        TimelineRecorder.For(TimeSpan.FromSeconds(1), TimeSpan.FromHours(4)).Should().Be(TimeSpan.FromSeconds(4));
        TimelineRecorder.For(TimeSpan.FromSeconds(10), TimeSpan.FromHours(4)).Should().Be(TimeSpan.FromSeconds(10));
    }
}

/// <summary>The timeline's per-interval latency buckets: exact to 31 µs, within 1/32 above, one atomic increment a value.</summary>
public sealed class IntervalLatencyTests
{
    [Fact]
    public void Every_value_lands_in_a_bucket_whose_upper_end_is_within_a_32nd_of_it()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 200).Select(i => (long)i).Concat(Enumerable.Range(0, 10_000).Select(_ => random.NextInt64(1, PerfRegression.Measurement.Histograms.HighestTrackableMicroseconds)));
        foreach (var value in values)
        {
            var index = IntervalLatency.IndexOf(value);
            var upper = IntervalLatency.HighestValueIn(index);
            upper.Should().BeGreaterThanOrEqualTo(value);
            (upper - value).Should().BeLessThanOrEqualTo(Math.Max(value, 1) / 32, $"value {value} in bucket {index} up to {upper}");
            if (index > 0)
            {
                IntervalLatency.HighestValueIn(index - 1).Should().BeLessThan(value, "buckets do not overlap");
            }
        }
    }

    [Fact]
    public void An_interval_reports_its_percentiles_and_starts_the_next_empty()
    {
        var latency = new IntervalLatency();
        Parallel.For(1, 10_001, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => latency.Record(i * 100)); // 0.1 ms to 1 s, from several threads

        var (count, p50, p95, p99, max) = latency.TakeInterval();

        count.Should().Be(10_000);
        p50.Should().BeInRange(500_000, 500_000 + (500_000 / 32));
        p95.Should().BeInRange(950_000, 950_000 + (950_000 / 32));
        p99.Should().BeInRange(990_000, 990_000 + (990_000 / 32));
        max.Should().BeInRange(1_000_000, 1_000_000 + (1_000_000 / 32));
        latency.TakeInterval().Should().Be(default((long, long, long, long, long)), "the next interval starts empty");
    }
}

/// <summary>A long run says where it stands every ProgressInterval, through the run's context, as one line.</summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class LoadProgressTests
{
    [Fact]
    public async Task A_run_reports_its_progress_every_interval_to_its_context()
    {
        var context = new Listening();
        var scenario = Scenario.Create("progress").Step("work", (_, ct) => Task.Delay(2, ct));
        using (LoadRunContext.Use(context))
        {
            await Load.RunAsync(LoadTarget.FromClientFactory("code", () => new HttpClient()), scenario, LoadProfile.Users(3, TimeSpan.FromMilliseconds(3_300)), new LoadOptions { Warmup = TimeSpan.Zero, ProgressInterval = TimeSpan.FromSeconds(1) }, TestContext.Current.CancellationToken);
        }

        var reported = context.Reported.ToArray();
        var seen = string.Join(" | ", reported.Select(p => p.ToString()));
        reported.Should().HaveCount(3, seen);
        reported.Should().OnlyContain(p => p.Scenario == "progress" && p.Trial == 1 && p.Users == 3 && p.Errors == 0 && p.P95Milliseconds > 0, seen);
        reported.Select(p => p.Elapsed.TotalSeconds).Should().BeInAscendingOrder().And.OnlyContain(s => s > 0.9 && s < 3.5, seen);
        reported.Select(p => (int)Math.Round(p.Elapsed.TotalSeconds)).Should().Equal([1, 2, 3], "one line a second, whether the timer closes an interval a little early or late: " + seen);
        reported.Select(p => p.Requests).Should().BeInAscendingOrder().And.OnlyContain(r => r > 0, seen);
    }

    [Fact]
    public void A_progress_line_names_the_trial_the_load_and_the_counts()
    {
        new LoadProgress("shopping-list", 2, TimeSpan.FromSeconds(40), 100, 482.5, 18_204, 3, 6.2).ToString()
            .Should().Be("shopping-list · trial 2 · 40 s · 100 users · 18,204 requests · 3 errors · p95 6.2 ms");
        new LoadProgress("arrivals", 1, TimeSpan.FromSeconds(10), null, 499.6, 4_996, 1, null).ToString()
            .Should().Be("arrivals · trial 1 · 10 s · 499.6 arrivals/s · 4,996 requests · 1 error");
    }

    private sealed class Listening : ILoadRunContext
    {
        public System.Collections.Concurrent.ConcurrentQueue<LoadProgress> Reported { get; } = new();

        public CancellationToken CancellationToken => TestContext.Current.CancellationToken;

        public ITrialPlanner? RunStarting(Scenario scenario) => null;

        public void RunCompleted(Scenario scenario, IReadOnlyList<LoadReport> trials, LoadReport report)
        {
        }

        public void Progress(LoadProgress progress) => Reported.Enqueue(progress);
    }
}
