using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Engine;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>
/// No work outlives its run: workers stop when a run throws, a step that ignores cancellation starts nothing after
/// the run returned, the warm-up is bounded in time and, in the open model, by the arrival rate.
/// </summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class RunawayWorkTests
{
    private static readonly ILoadTarget NoHttp = LoadTarget.FromClientFactory("code steps", () => new HttpClient());

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Workers_stop_when_the_run_throws()
    {
        var steps = 0L;
        var scenario = Scenario.Create("busy").Step("spin", async (_, _) =>
        {
            Interlocked.Increment(ref steps);
            await Task.Delay(1, CancellationToken.None);
        });
        var options = new LoadOptions { Warmup = TimeSpan.Zero, TimeProvider = new BrokenTimerClock() };

        var act = () => Load.RunAsync(NoHttp, scenario, LoadProfile.Users(2, TimeSpan.FromHours(1)), options, Cancel);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("the clock's timers broke");
        await Task.Delay(200, Cancel);
        var afterThrow = Interlocked.Read(ref steps);
        await Task.Delay(500, Cancel);
        Interlocked.Read(ref steps).Should().Be(afterThrow, "no worker may keep running once its run has thrown");
    }

    [Fact]
    public async Task A_step_that_ignores_cancellation_starts_nothing_after_the_run_returned()
    {
        var returned = 0;
        var startedAfterReturn = 0;
        var scenario = Scenario.Create("stubborn")
            .Step("ignores-cancellation", (_, _) => Task.Delay(1_500, CancellationToken.None))
            .Step("next", (_, _) =>
            {
                if (Volatile.Read(ref returned) == 1)
                {
                    Interlocked.Increment(ref startedAfterReturn);
                }

                return Task.CompletedTask;
            });
        var options = new LoadOptions { Warmup = TimeSpan.Zero, GracefulStop = TimeSpan.Zero };

        var report = await Load.RunAsync(NoHttp, scenario, LoadProfile.Users(2, TimeSpan.FromMilliseconds(200)), options, Cancel);
        Volatile.Write(ref returned, 1);

        report.Warnings.Should().Contain(w => w.StartsWith("Some virtual users did not stop", StringComparison.Ordinal));
        await Task.Delay(1_500, Cancel);
        startedAfterReturn.Should().Be(0, "an abandoned user stops after the step it is stuck in");
    }

    [Fact]
    public async Task The_next_trial_never_reuses_a_user_still_stuck_in_the_previous_one()
    {
        var busy = new System.Collections.Concurrent.ConcurrentDictionary<VirtualUser, byte>();
        var overlaps = 0;
        var scenario = Scenario.Create("stuck").Step("first-call-hangs", async (user, _) =>
        {
            if (!busy.TryAdd(user, 0))
            {
                Interlocked.Increment(ref overlaps);
                return;
            }

            try
            {
                // Each user's first call hangs past the run's end and ignores cancellation.
                await Task.Delay(user.Iteration == 1 && user.Get<bool>("fresh") ? 1_500 : 1, CancellationToken.None);
                user.Set("fresh", false);
            }
            finally
            {
                busy.TryRemove(user, out byte _);
            }
        }).Setup((user, _) =>
        {
            user.Set("fresh", true);
            return Task.CompletedTask;
        });
        var options = new LoadOptions { Warmup = TimeSpan.Zero, GracefulStop = TimeSpan.Zero };
        var context = new TwoTrials();

        using (LoadRunContext.Use(context))
        {
            await Load.RunAsync(NoHttp, scenario, LoadProfile.Users(2, TimeSpan.FromMilliseconds(200)), options, Cancel);
        }

        context.Trials.Should().Be(2);
        overlaps.Should().Be(0, "a user abandoned in one trial is replaced, never run by two workers at once");
        await Task.Delay(1_600, Cancel);
    }

    [Fact]
    public async Task A_hanging_app_cannot_stretch_the_warm_up_past_its_limit()
    {
        await using var app = await TestApp.StartAsync(a => a.MapGet("/hang", async (HttpContext c) => await Task.Delay(Timeout.Infinite, c.RequestAborted)));
        var options = new LoadOptions
        {
            Warmup = TimeSpan.FromMilliseconds(200),
            MaxWarmup = TimeSpan.FromSeconds(2),
            GracefulStop = TimeSpan.FromSeconds(1),
        };
        var clock = Stopwatch.StartNew();

        var report = await Load.RunAsync(app.Target, Scenario.Create("hang").Get("hang", "/hang"), LoadProfile.Users(3, TimeSpan.FromMilliseconds(500)), options, Cancel);

        // The documented bound: MaxWarmup + duration + GracefulStop + 1 s to collect = 4.5 s; 1.5 s more for a busy machine.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(6));
        report.InterruptedIterations.Should().Be(3);
    }

    [Fact]
    public async Task An_open_model_warm_up_keeps_to_the_arrival_rate()
    {
        var steps = 0L;
        var scenario = Scenario.Create("trickle").Step("work", async (_, ct) =>
        {
            Interlocked.Increment(ref steps);
            await Task.Delay(2, ct);
        });
        var options = new LoadOptions { Warmup = TimeSpan.FromMilliseconds(500), MaxWarmup = TimeSpan.FromSeconds(1) };

        var report = await Load.RunAsync(NoHttp, scenario, LoadProfile.ConstantRate(5, TimeSpan.FromMilliseconds(600), maxConcurrency: 200), options, Cancel);

        report.Route("work").Count.Should().BeInRange(2, 4, "5/s for 0.6 s");
        // At most 1 s of warm-up and 0.6 s measured at 5/s: 8 iterations, plus one per slice started at its offset 0.
        Interlocked.Read(ref steps).Should().BeLessThanOrEqualTo(12, "the warm-up runs at the profile's rate, not with every slot busy");
    }

    /// <summary>The system clock, whose long timers (the run's deadline) fail: the run throws while its workers are running.</summary>
    private sealed class BrokenTimerClock : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            => dueTime >= TimeSpan.FromMinutes(10) ? throw new InvalidOperationException("the clock's timers broke") : System.CreateTimer(callback, state, dueTime, period);
    }

    private sealed class TwoTrials : ILoadRunContext, ITrialPlanner
    {
        public int Trials { get; private set; }

        public CancellationToken CancellationToken => TestContext.Current.CancellationToken;

        public ITrialPlanner? RunStarting(Scenario scenario) => this;

        public void RunCompleted(Scenario scenario, IReadOnlyList<LoadReport> trials, LoadReport report) => Trials = trials.Count;

        public bool WantsAnotherTrial(IReadOnlyList<LoadReport> trials) => trials.Count < 2;

        public string DescribeTrials(IReadOnlyList<LoadReport> trials) => string.Empty;
    }
}
