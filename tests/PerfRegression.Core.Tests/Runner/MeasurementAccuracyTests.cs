using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>
/// Percentiles against a ground truth recorded by the server, and coordinated omission against a
/// server that stalls. Tolerances are wide enough for a noisy shared machine: these are correctness
/// checks; the precise figures are the benchmark suite's job.
/// </summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class MeasurementAccuracyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Percentiles_match_the_servers_own_timing_of_a_seeded_delay_distribution()
    {
        // Delays of 10, 20 or 60 ms with probabilities 0.6, 0.3, 0.1, drawn from a fixed seed.
        var random = new Random(2026);
        var serverTimes = new List<double>();
        await using var app = await TestApp.StartAsync(a => a.MapGet("/delay", async (HttpContext c) =>
        {
            var started = Stopwatch.GetTimestamp();
            int delay;
            lock (random)
            {
                var u = random.NextDouble();
                delay = u < 0.6 ? 10 : u < 0.9 ? 20 : 60;
            }

            await Task.Delay(delay, c.RequestAborted);
            lock (serverTimes)
            {
                serverTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));

        var report = await Load.RunAsync(app.Target, Scenario.Create("seeded").Get("delay", "/delay"), LoadProfile.Users(8, TimeSpan.FromSeconds(3)), new LoadOptions { Warmup = TimeSpan.Zero }, Cancel);

        double[] truth;
        lock (serverTimes)
        {
            truth = serverTimes.Order().ToArray();
        }

        var route = report.Route("delay");
        route.Count.Should().BeGreaterThan(200).And.BeLessThanOrEqualTo(truth.Length);
        foreach (var (percentile, measured) in new[] { (50.0, route.Latency.P50), (95.0, route.Latency.P95) })
        {
            var exact = truth[(int)Math.Ceiling(percentile / 100 * truth.Length) - 1];
            measured.Should().BeInRange(exact * 0.97, (exact * 1.15) + 3, $"p{percentile} is the server's time plus in-memory transport (server said {exact:0.0} ms)");
        }
    }

    [Fact]
    public async Task A_stall_shows_in_open_model_percentiles_and_is_warned_about_in_the_closed_model()
    {
        // Every request that arrives during the stall window waits for its end. The window is timed from the
        // run's first request, not from the call: a run may first wait for another process's run to end.
        var stallStart = TimeSpan.FromMilliseconds(800);
        var stallLength = TimeSpan.FromMilliseconds(700);
        long origin = 0;
        await using var app = await TestApp.StartAsync(a => a.MapGet("/stall", async (HttpContext c) =>
        {
            Interlocked.CompareExchange(ref origin, Stopwatch.GetTimestamp(), 0);
            var since = Stopwatch.GetElapsedTime(Interlocked.Read(ref origin));
            if (since >= stallStart && since < stallStart + stallLength)
            {
                await Task.Delay(stallStart + stallLength - since, c.RequestAborted);
            }
        }));
        var scenario = Scenario.Create("stall").Get("stall", "/stall");
        var options = new LoadOptions { Warmup = TimeSpan.Zero };

        Interlocked.Exchange(ref origin, 0);
        var open = await Load.RunAsync(app.Target, scenario, LoadProfile.ConstantRate(100, TimeSpan.FromSeconds(3), maxConcurrency: 128), options, Cancel);
        Interlocked.Exchange(ref origin, 0);
        var closed = await Load.RunAsync(app.Target, scenario, LoadProfile.Users(8, TimeSpan.FromSeconds(3)), options, Cancel);

        // ~70 of ~300 requests arrive in the stall, waiting up to 700 ms: p99 is well above 300 ms.
        open.Route("stall").Latency.P99.Should().BeGreaterThan(300);
        open.Route("stall").Latency.Max.Should().BeGreaterThan(500);
        open.Warnings.Should().NotContain(w => w.StartsWith("Coordinated omission", StringComparison.Ordinal));

        // Closed users wait out the stall together: thousands of fast requests hide 8 slow ones.
        closed.Route("stall").Latency.Max.Should().BeGreaterThan(500);
        closed.Route("stall").Latency.P99.Should().BeLessThan(open.Route("stall").Latency.P99);
        closed.Warnings.Should().Contain(w => w.StartsWith("Coordinated omission: nothing completed for", StringComparison.Ordinal));
    }
}
