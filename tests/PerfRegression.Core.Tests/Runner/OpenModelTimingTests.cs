using System.Diagnostics;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>The open model's latency from the intended start against its service time and the generator's own pacing.</summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class OpenModelTimingTests
{
    private static readonly ILoadTarget NoHttp = LoadTarget.FromClientFactory("code steps", () => new HttpClient());

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Latency_from_the_intended_start_is_never_below_the_service_time_when_a_timer_fires_early()
    {
        var scenario = Scenario.Create("early").Step("two-ms", (_, _) =>
        {
            var until = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 500);
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(20);
            }

            return Task.CompletedTask;
        });
        var options = new LoadOptions { Warmup = TimeSpan.Zero, TimeProvider = new EarlyTimers() };

        var report = await Load.RunAsync(NoHttp, scenario, LoadProfile.ConstantRate(25, TimeSpan.FromMilliseconds(400), maxConcurrency: 1), options, Cancel);

        var route = report.Route("two-ms");
        route.Count.Should().BeGreaterThan(5);
        route.Latency.Min.Should().BeGreaterThanOrEqualTo(route.ServiceTime!.Min);
        route.Latency.P50.Should().BeGreaterThanOrEqualTo(route.ServiceTime.P50);
    }

    [Fact]
    public async Task A_route_faster_than_the_generators_pacing_is_reported_at_the_floor()
    {
        await using var app = await TestApp.StartBasicAsync();
        var options = new LoadOptions { Warmup = TimeSpan.FromMilliseconds(300), MaxWarmup = TimeSpan.FromMilliseconds(600) };

        var report = await Load.RunAsync(app.Target, Scenario.Create("fast").Get("ok", "/ok"), LoadProfile.ConstantRate(200, TimeSpan.FromSeconds(1), maxConcurrency: 16), options, Cancel);

        // The in-memory /ok answers in tens of microseconds; timers wake about a millisecond late, so p95 is mostly the timer.
        var warning = report.Warnings.Should().ContainSingle(w => w.StartsWith("Pacing floor: iterations started a median ", StringComparison.Ordinal)).Which;
        warning.Should().Contain("after their intended time (the generator's timer resolution on this machine)").And.Contain("route 'ok' (p95 ");
    }

    [Fact]
    public async Task A_route_well_above_the_pacing_floor_gets_no_such_warning()
    {
        var scenario = Scenario.Create("slow").Step("twenty-ms", (_, ct) => Task.Delay(20, ct));

        var report = await Load.RunAsync(NoHttp, scenario, LoadProfile.ConstantRate(50, TimeSpan.FromSeconds(1), maxConcurrency: 8), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);

        report.Warnings.Should().NotContain(w => w.StartsWith("Pacing floor", StringComparison.Ordinal));
    }

    /// <summary>The system clock, whose timers fire 1 ms before they are due, as coarse OS timers may.</summary>
    private sealed class EarlyTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            => System.CreateTimer(callback, state, dueTime > TimeSpan.FromMilliseconds(1) ? dueTime - TimeSpan.FromMilliseconds(1) : dueTime, period);
    }
}
