using Microsoft.Extensions.Time.Testing;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>
/// Runner logic on a fake clock: each step advances time itself, so every latency, delay and count is
/// known exactly and the test does not depend on the machine's speed.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class RunnerFakeClockTests
{
    private static readonly ILoadTarget NoHttp = LoadTarget.FromClientFactory("fake", () => new HttpClient());

    private static LoadOptions Options(FakeTimeProvider time) => new()
    {
        TimeProvider = time,
        Warmup = TimeSpan.Zero,
        GracefulStop = TimeSpan.Zero,
    };

    [Fact]
    public async Task Closed_model_measures_each_step_on_the_injected_clock()
    {
        var time = new FakeTimeProvider();
        var scenario = Scenario.Create("fake")
            .Step("five-ms", (_, _) => Advance(time, 5))
            .Step("twenty-ms", (_, _) => Advance(time, 20));

        var report = await Load.RunAsync(NoHttp, scenario, LoadProfile.Iterations(1, 40), Options(time), TestContext.Current.CancellationToken);

        report.Iterations.Should().Be(40);
        report.Route("five-ms").Count.Should().Be(40);
        report.Route("five-ms").Latency.Max.Should().BeApproximately(5, 0.05);
        report.Route("five-ms").Latency.Min.Should().BeApproximately(5, 0.05);
        report.Route("twenty-ms").Latency.P95.Should().BeApproximately(20, 0.2);
        report.Duration.Should().Be(TimeSpan.FromMilliseconds(40 * 25));
        report.Route("twenty-ms").Throughput.Should().BeApproximately(40, 1e-9, "40 requests in 1 s of fake time");
    }

    [Fact]
    public async Task Open_model_measures_from_the_intended_start_and_counts_late_and_dropped_iterations()
    {
        // 10/s for 1 s with one slot; each iteration takes 250 ms. Iteration i is due at 100·i ms but
        // starts at 250·i ms, so its latency is 250 + 150·i ms, while its service time stays 250 ms.
        var time = new FakeTimeProvider();
        var scenario = Scenario.Create("slow").Step("work", (_, _) => Advance(time, 250));

        var report = await Load.RunAsync(NoHttp, scenario, LoadProfile.ConstantRate(10, TimeSpan.FromSeconds(1), maxConcurrency: 1), Options(time), TestContext.Current.CancellationToken);

        var work = report.Route("work");
        work.Count.Should().Be(4, "four 250 ms iterations fill the 1 s schedule");
        work.Latency.Min.Should().BeApproximately(250, 2.5);
        work.Latency.Max.Should().BeApproximately(700, 7);
        work.Latency.Mean.Should().BeApproximately((250 + 400 + 550 + 700) / 4.0, 5);
        work.ServiceTime!.Max.Should().BeApproximately(250, 2.5);
        report.DelayedStarts.Should().Be(3);
        report.DroppedIterations.Should().Be(6, "10 iterations were due, 4 started");
        report.Warnings.Should().Contain(w => w.StartsWith("6 iterations were dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_model_waits_for_each_intended_start()
    {
        var time = new FakeTimeProvider();
        var starts = new List<TimeSpan>();
        var origin = time.GetTimestamp();
        var scenario = Scenario.Create("paced").Step("tick", (_, _) =>
        {
            lock (starts)
            {
                starts.Add(time.GetElapsedTime(origin));
            }

            return Task.CompletedTask;
        });

        var run = Load.RunAsync(NoHttp, scenario, LoadProfile.ConstantRate(4, TimeSpan.FromSeconds(2), maxConcurrency: 2), Options(time), TestContext.Current.CancellationToken);

        // Small fake-time steps until the run ends; a start is recorded when its timer fires, so it lands
        // within a step or two of its intended time. (The run always completes, so a failed assertion can
        // never leave it holding the process-wide run gate.)
        await AdvanceUntilCompleted(time, run, TimeSpan.FromMilliseconds(2));

        var report = await run;
        report.Route("tick").Count.Should().Be(8);
        var ordered = starts.Order().ToArray();
        for (var i = 0; i < 8; i++)
        {
            ordered[i].Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250 * i), "no iteration starts before its intended time")
                .And.BeLessThan(TimeSpan.FromMilliseconds((250 * i) + 100), "each starts when its time comes");
        }

        report.DroppedIterations.Should().Be(0);
    }

    [Fact]
    public async Task Think_time_is_drawn_from_the_range_with_the_seeded_random()
    {
        var time = new FakeTimeProvider();
        var scenario = Scenario.Create("thinking").Step("quick", (_, _) => Advance(time, 1))
            .WithThinkTime(ThinkTime.Between(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)));

        var run = Load.RunAsync(NoHttp, scenario, LoadProfile.Iterations(1, 20), Options(time), TestContext.Current.CancellationToken);
        await AdvanceUntilCompleted(time, run, TimeSpan.FromMilliseconds(5));
        var report = await run;

        report.Iterations.Should().Be(20);
        report.Duration.Should().BeGreaterThan(TimeSpan.FromMilliseconds(20 * 101)).And.BeLessThan(TimeSpan.FromMilliseconds(20 * 210), "each pause is at most 200 ms, overshot by at most one 5 ms step");
    }

    [Fact]
    public async Task Stages_ramp_users_up_then_down_one_by_one()
    {
        // 0 → 4 users over 400 ms, hold 200 ms, 4 → 0 over 400 ms. User k is active while the level exceeds k:
        // from (k + 1) × 100 ms on the way up until 600 + (3 − k) × 100 ms on the way down. Each user works
        // once per 10 ms of think time, so the steps it records show when it was active.
        var time = new FakeTimeProvider();
        var origin = time.GetTimestamp();
        var steps = new List<(int User, TimeSpan At)>();
        var scenario = Scenario.Create("ramp").Step("work", (user, _) =>
        {
            lock (steps)
            {
                steps.Add((user.Id, time.GetElapsedTime(origin)));
            }

            return Task.CompletedTask;
        }).WithThinkTime(ThinkTime.Fixed(TimeSpan.FromMilliseconds(10)));
        var profile = LoadProfile.Stages(new Stage(TimeSpan.FromMilliseconds(400), 4), new Stage(TimeSpan.FromMilliseconds(200), 4), new Stage(TimeSpan.FromMilliseconds(400), 0));

        var run = Load.RunAsync(NoHttp, scenario, profile, Options(time), TestContext.Current.CancellationToken);
        await AdvanceUntilCompleted(time, run, TimeSpan.FromMilliseconds(2));
        var report = await run;

        var byUser = steps.GroupBy(s => s.User).ToDictionary(g => g.Key, g => (First: g.Min(s => s.At), Last: g.Max(s => s.At), Count: g.Count()));
        byUser.Keys.Order().Should().Equal([0, 1, 2, 3], "the profile peaks at 4 users");
        var slack = TimeSpan.FromMilliseconds(15); // one think time and a clock step
        for (var k = 0; k < 4; k++)
        {
            var joins = TimeSpan.FromMilliseconds((k + 1) * 100);
            var leaves = TimeSpan.FromMilliseconds(600 + ((3 - k) * 100));
            byUser[k].First.Should().BeGreaterThanOrEqualTo(joins, $"user {k} joins when the ramp reaches {k + 1} users").And.BeLessThan(joins + slack);
            byUser[k].Last.Should().BeLessThanOrEqualTo(leaves + slack, $"user {k} leaves when the ramp-down passes below {k + 1} users").And.BeGreaterThan(leaves - slack);
        }

        byUser[0].Count.Should().BeGreaterThan(byUser[3].Count * 2, "the first user to join is the last to leave");
        report.MaxConcurrency.Should().Be(4);
        report.Route("work").Count.Should().Be(steps.Count);
    }

    private static Task Advance(FakeTimeProvider time, int milliseconds)
    {
        time.Advance(TimeSpan.FromMilliseconds(milliseconds));
        return Task.CompletedTask;
    }

    // Moves fake time forward in small steps, letting the runner's continuations run between steps.
    private static async Task AdvanceUntilCompleted(FakeTimeProvider time, Task run, TimeSpan step)
    {
        for (var i = 0; i < 100_000 && !run.IsCompleted; i++)
        {
            await Task.Delay(1, TestContext.Current.CancellationToken);
            time.Advance(step);
        }

        run.IsCompleted.Should().BeTrue("the run is bounded by its schedule");
    }
}
