using System.Diagnostics;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>A stall is reported with its real length, not rounded down to whole sampling windows.</summary>
[Collection(TimingSensitive.Name)]
public sealed class StallLengthTests
{
    [Fact]
    public async Task A_400_ms_freeze_is_reported_as_about_400_ms()
    {
        using var quiet = await MachineQuiet.HoldAsync();
        var freezeAt = 0L;
        var freezeStartUtcTicks = 0L;
        var freeze = Stopwatch.Frequency * 4 / 10;
        var scenario = Scenario.Create("freeze").Step("work", async (_, ct) =>
        {
            var now = Stopwatch.GetTimestamp();
            if (Interlocked.CompareExchange(ref freezeAt, now + (Stopwatch.Frequency * 6 / 10), 0) == 0)
            {
                // Where the freeze falls in the measured phase is read from the wall clock, as the report's StartedAt is:
                // on a busy machine the first step may run a while after the phase began.
                Interlocked.Exchange(ref freezeStartUtcTicks, DateTimeOffset.UtcNow.AddMilliseconds(600).UtcTicks);
            }

            var from = Interlocked.Read(ref freezeAt);
            if (now >= from && now < from + freeze)
            {
                // Every user waits for the end of the freeze: nothing completes for 400 ms.
                await Task.Delay(TimeSpan.FromSeconds((double)(from + freeze - now) / Stopwatch.Frequency), ct);
            }
            else
            {
                await Task.Delay(1, ct);
            }
        });

        var report = await Load.RunAsync(LoadTarget.FromClientFactory("code", () => new HttpClient()), scenario, LoadProfile.Users(4, TimeSpan.FromMilliseconds(1_600)), new LoadOptions { Warmup = TimeSpan.Zero }, TestContext.Current.CancellationToken);

        // The stall runs from the last completion before the freeze to the first after it, wherever the sampler's 250 ms windows fall.
        // (A busy machine may add a stall of its own, e.g. a slow start: the freeze's is the one where the freeze began.)
        var freezeOffset = new DateTimeOffset(Interlocked.Read(ref freezeStartUtcTicks), TimeSpan.Zero) - report.StartedAt;
        // Every stall, the samples' spacing and the run's warnings go into the messages: a failure on a busy machine must say which way it went.
        var seen = $"the freeze began {freezeOffset.TotalMilliseconds:0} ms into the phase; stalls: "
            + string.Join(", ", report.Runtime!.Stalls.Select(s => $"{s.Offset.TotalMilliseconds:0} ms for {s.Duration.TotalMilliseconds:0} ms"))
            + $"; {report.Runtime.Samples} samples over {report.Runtime.MeasuredDuration.TotalMilliseconds:0} ms; warnings: {string.Join(" | ", report.Warnings)}";
        var stall = report.Runtime.Stalls.Should().ContainSingle(s => (s.Offset - freezeOffset).Duration() < TimeSpan.FromMilliseconds(100), seen).Which;
        stall.Duration.Should().BeGreaterThan(TimeSpan.FromMilliseconds(370), seen).And.BeLessThan(TimeSpan.FromMilliseconds(520), seen);
    }
}
