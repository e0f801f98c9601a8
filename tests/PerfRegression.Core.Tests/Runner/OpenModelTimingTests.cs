using System.Diagnostics;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>The open model's latency from the intended start against its service time and the generator's own pacing.</summary>
[Collection(TimingSensitive.Name)]
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

    /// <summary>The system clock, whose timers fire 1 ms before they are due, as coarse OS timers may.</summary>
    private sealed class EarlyTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            => System.CreateTimer(callback, state, dueTime > TimeSpan.FromMilliseconds(1) ? dueTime - TimeSpan.FromMilliseconds(1) : dueTime, period);
    }
}
