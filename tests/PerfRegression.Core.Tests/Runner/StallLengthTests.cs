using System.Diagnostics;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>A stall is reported with its real length, not rounded down to whole sampling windows.</summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class StallLengthTests
{
    [Fact]
    public async Task A_400_ms_freeze_is_reported_as_about_400_ms()
    {
        var freezeAt = 0L;
        var freezeStartUtcTicks = 0L;
        var freeze = Stopwatch.Frequency * 4 / 10;
        var completions = new List<DateTimeOffset>();
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

            lock (completions)
            {
                completions.Add(DateTimeOffset.UtcNow);
            }
        });

        var report = await Load.RunAsync(LoadTarget.FromClientFactory("code", () => new HttpClient()), scenario, LoadProfile.Users(4, TimeSpan.FromMilliseconds(1_600)), new LoadOptions { Warmup = TimeSpan.Zero }, TestContext.Current.CancellationToken);

        // The stall runs from the last completion before the freeze to the first after it, wherever the sampler's 250 ms
        // windows fall. On a starved machine a step that began before the freeze may complete well into it, so the real
        // pause is read from the steps' own completion times: the longest gap between two of them.
        var freezeOffset = new DateTimeOffset(Interlocked.Read(ref freezeStartUtcTicks), TimeSpan.Zero) - report.StartedAt;
        var times = completions.Order().ToArray();
        // The pause that spans the middle of the freeze (a busy machine may add pauses of its own elsewhere, e.g. a slow start).
        var middle = freezeOffset + TimeSpan.FromMilliseconds(200);
        var gap = times.Zip(times.Skip(1), (a, b) => (From: a - report.StartedAt, Length: b - a)).Single(g => g.From <= middle && g.From + g.Length >= middle);
        // Every stall, the samples' spacing and the run's warnings go into the messages: a failure on a busy machine must say which way it went.
        var seen = $"the freeze began {freezeOffset.TotalMilliseconds:0} ms into the phase, the longest pause between completions ran {gap.From.TotalMilliseconds:0} ms for {gap.Length.TotalMilliseconds:0} ms; stalls: "
            + string.Join(", ", report.Runtime!.Stalls.Select(s => $"{s.Offset.TotalMilliseconds:0} ms for {s.Duration.TotalMilliseconds:0} ms"))
            + $"; {report.Runtime.Samples} samples over {report.Runtime.MeasuredDuration.TotalMilliseconds:0} ms; warnings: {string.Join(" | ", report.Warnings)}";
        gap.Length.Should().BeGreaterThan(TimeSpan.FromMilliseconds(250), "the freeze held every user: " + seen);
        var stall = report.Runtime.Stalls.Should().ContainSingle(s => (s.Offset - gap.From).Duration() < TimeSpan.FromMilliseconds(50), seen).Which;
        stall.Duration.Should().BeCloseTo(gap.Length, TimeSpan.FromMilliseconds(50), seen);
    }
}
