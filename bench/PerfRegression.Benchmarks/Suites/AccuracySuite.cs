using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Benchmarks.Support;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// Whether the runner's percentiles are right. (a) p95 against the truth timed inside the server, for an
/// endpoint with a seeded delay distribution. (b) p99 of an open-model run against a periodic stall whose
/// corrected p99 is known analytically, with the closed model's p99 beside it to show coordinated omission.
/// </summary>
internal static class AccuracySuite
{
    public static async Task RunAsync(Figures figures, CancellationToken cancellationToken)
    {
        await MeasureP95Async(figures, cancellationToken);
        await MeasureStallP99Async(figures, cancellationToken);
    }

    // ---- (a) p95 against server-side truth -------------------------------------------------------------

    private const double DelayMedianMs = 15;
    private const double DelaySigma = 0.6;

    private static async Task MeasureP95Async(Figures figures, CancellationToken cancellationToken)
    {
        // Lognormal delays, median 15 ms, sigma 0.6: p95 = 15·e^(1.645·0.6) ≈ 40 ms, p99.9 ≈ 96 ms. Task.Delay
        // rounds up to the ~1 ms timer tick, so the truth is not this formula but what the server measured.
        var delays = SeededLognormalDelays(count: 1 << 16, seed: 20_251_123);
        var serverTimes = new ServerTimes(capacity: 1_000_000);
        long next = -1;
        await using var app = await InProcessApp.StartAsync(
            a =>
            {
                // Ground truth: from the request entering the server to the response completed.
                a.Use(async (context, nextMiddleware) =>
                {
                    var start = Stopwatch.GetTimestamp();
                    await nextMiddleware(context);
                    await context.Response.CompleteAsync();
                    serverTimes.Add(Stopwatch.GetElapsedTime(start));
                });
                a.MapGet("/", async (CancellationToken ct) =>
                {
                    await Task.Delay(delays[(int)(Interlocked.Increment(ref next) & (delays.Length - 1))], ct);
                    return Results.Text("ok");
                });
            },
            cancellationToken);

        var scenario = Scenario.Create("lognormal").Get("GET /", "/");

        // No runner warm-up: then every request the runner records is one the server timed, and vice versa.
        // A separate, discarded run warms JIT and connections instead.
        var options = new LoadOptions { Warmup = TimeSpan.Zero };
        await Load.RunAsync(app.Target, scenario, LoadProfile.Users(32, TimeSpan.FromSeconds(2)), options, cancellationToken);
        serverTimes.Clear();

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Users(32, TimeSpan.FromSeconds(10)), options, cancellationToken);
        Console.WriteLine(report.ToSummary());

        var truth = serverTimes.SortedMilliseconds();
        var serverP95 = Stats.Percentile(truth, 95);
        var runnerP95 = report.Overall.Latency.P95;
        var error = Math.Abs(runnerP95 - serverP95) / serverP95 * 100;
        var configuredP95 = DelayMedianMs * Math.Exp(1.6448536 * DelaySigma);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  configured p95 {configuredP95:0.00} ms · server-measured p95 {serverP95:0.00} ms over {truth.Length:#,0} requests · runner p95 {runnerP95:0.00} ms over {report.Overall.Count:#,0} requests"));
        figures.Add("accuracy_server_requests", truth.Length, "0");
        figures.Add("accuracy_runner_requests", report.Overall.Count, "0");
        figures.Add("accuracy_configured_p95_ms", configuredP95, "0.00");
        figures.Add("accuracy_server_p95_ms", serverP95, "0.00");
        figures.Add("accuracy_runner_p95_ms", runnerP95, "0.00");
        figures.AddWithTarget("accuracy_p95_error_pct", error, "0.00", "<= 5", error <= 5);
    }

    private static TimeSpan[] SeededLognormalDelays(int count, int seed)
    {
        var random = new Random(seed);
        var delays = new TimeSpan[count];
        for (var i = 0; i < count; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            delays[i] = TimeSpan.FromMilliseconds(DelayMedianMs * Math.Exp(DelaySigma * normal));
        }

        return delays;
    }

    /// <summary>Server-side durations, written lock-free by concurrent requests into a preallocated array.</summary>
    private sealed class ServerTimes(int capacity)
    {
        private readonly long[] _ticks = new long[capacity];
        private int _count;

        public void Add(TimeSpan duration)
        {
            var index = Interlocked.Increment(ref _count) - 1;
            if (index >= _ticks.Length)
            {
                throw new InvalidOperationException($"More than {_ticks.Length} requests were timed; raise the capacity.");
            }

            _ticks[index] = duration.Ticks;
        }

        public void Clear() => Volatile.Write(ref _count, 0);

        public double[] SortedMilliseconds()
            => _ticks.Take(Math.Min(Volatile.Read(ref _count), _ticks.Length)).Select(t => TimeSpan.FromTicks(t).TotalMilliseconds).Order().ToArray();
    }

    // ---- (b) coordinated omission: a 500 ms stall every 5 s --------------------------------------------

    private static readonly TimeSpan StallPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StallLength = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The analytic corrected p99. Arrivals come at a constant rate, so their phase in the 5 s cycle is uniform
    /// over whole cycles: 10% land in the stall (0.5 s of 5 s). One arriving s into the stall waits 0.5 s − s,
    /// uniform over (0, 500 ms]; the others take only the (sub-millisecond) service time. So for
    /// 0 ≤ x ≤ 500 ms, P(L &gt; x) = 0.1 · (1 − x / 500 ms). Setting that to 1%: 1 − x/500 = 0.1, x = 450 ms.
    /// </summary>
    private const double ExpectedP99Ms = 450;

    private static async Task MeasureStallP99Async(Figures figures, CancellationToken cancellationToken)
    {
        var origin = Stopwatch.GetTimestamp();
        await using var app = await InProcessApp.StartAsync(
            a => a.MapGet("/", async (CancellationToken ct) =>
            {
                // A request arriving within the first 500 ms of a 5 s cycle of server time waits until the stall ends.
                var phase = TimeSpan.FromTicks(Stopwatch.GetElapsedTime(origin).Ticks % StallPeriod.Ticks);
                if (phase < StallLength)
                {
                    await Task.Delay(StallLength - phase, ct);
                }

                return Results.Text("ok");
            }),
            cancellationToken);
        var scenario = Scenario.Create("stall").Get("GET /", "/");

        // Open model, 100/s. The measured window is a whole number of 5 s cycles, so wherever the warm-up leaves
        // its phase, it holds exactly the stall share of 10%. 128 slots exceed the 50 in flight during a stall,
        // so no start is delayed by the generator itself.
        var open = await Load.RunAsync(app.Target, scenario, LoadProfile.ConstantRate(100, 4 * StallPeriod, maxConcurrency: 128), cancellationToken: cancellationToken);
        Console.WriteLine(open.ToSummary());

        // The same endpoint in a closed model at about the same nominal rate (one user, 10 ms think time):
        // the user waits out each stall instead of sending, so only one request per stall is slow.
        var closedScenario = scenario.WithThinkTime(ThinkTime.Fixed(TimeSpan.FromMilliseconds(10)));
        var closed = await Load.RunAsync(app.Target, closedScenario, LoadProfile.Users(1, 2 * StallPeriod), cancellationToken: cancellationToken);
        Console.WriteLine(closed.ToSummary());

        var measured = open.Overall.Latency.P99;
        var error = Math.Abs(measured - ExpectedP99Ms) / ExpectedP99Ms * 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  open model p99 {measured:0.0} ms (analytic {ExpectedP99Ms:0} ms) · closed model p99 {closed.Overall.Latency.P99:0.0} ms, max {closed.Overall.Latency.Max:0.0} ms"));
        figures.Add("co_expected_p99_ms", ExpectedP99Ms, "0.0");
        figures.Add("co_open_model_p99_ms", measured, "0.0");
        figures.AddWithTarget("co_p99_error_pct", error, "0.00", "<= 10", error <= 10);
        figures.Add("co_open_model_requests", open.Overall.Count, "0");
        figures.Add("co_closed_model_p99_ms", closed.Overall.Latency.P99, "0.0");
        figures.Add("co_closed_model_max_ms", closed.Overall.Latency.Max, "0.0");
        figures.Add("co_closed_model_requests", closed.Overall.Count, "0");
    }
}
