using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Benchmarks.Support;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// Capacity search against a system whose capacity is known: an in-memory endpoint that does a fixed amount of CPU work
/// per request, calibrated to 4 ms on one idle core. With c cores and a service time S, no schedule completes more
/// than c / S requests a second (Little's law with every core busy): 500 a second on 2 cores. (A spin for 4 ms of
/// wall time would not do: a thread preempted mid-spin uses less CPU, and the system served 600 a second.) The search
/// is repeated 5 times; the figures are its worst error against that prediction, and how long a search took.
/// </summary>
internal static class CapacitySuite
{
    private static readonly TimeSpan Service = TimeSpan.FromMilliseconds(4);

    /// <summary>How many rounds of <see cref="Work"/> take <see cref="Service"/> on one core: the fastest of 30 tries of 1 ms, scaled.</summary>
    private static long Calibrate()
    {
        const long probe = 200_000;
        Work(probe * 5);
        var fastest = double.MaxValue;
        for (var i = 0; i < 30; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Work(probe);
            fastest = Math.Min(fastest, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return (long)(probe * Service.TotalSeconds / fastest);
    }

    /// <summary>CPU work that the JIT cannot remove: a xorshift sequence.</summary>
    private static ulong Work(long rounds)
    {
        var x = 88172645463325252UL;
        for (var i = 0L; i < rounds; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return x;
    }

    public static async Task RunAsync(Figures figures, CancellationToken cancellationToken)
    {
        var work = Calibrate();
        await using var app = await InProcessApp.StartAsync(web => web.MapGet("/", () => Results.Text(Work(work) == 42 ? "no" : "ok")), cancellationToken);
        var predicted = Environment.ProcessorCount / Service.TotalSeconds;
        var options = new CapacityOptions
        {
            Budgets = [Budget.P95(100), Budget.ErrorRate(0.01)],
            StartRate = 50,
            Growth = 1.6,
            Precision = 0.05,
            StepDuration = TimeSpan.FromSeconds(3),
            MaxConcurrency = 256,
            MaxDuration = TimeSpan.FromSeconds(60),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Environment.ProcessorCount} cores × 1 / {Service.TotalMilliseconds} ms of CPU per request ({work:#,0} rounds of xorshift): at most {predicted:0} requests a second; budget p95 ≤ 100 ms, errors ≤ 1%"));
        var errors = new List<double>();
        var seconds = new List<double>();
        for (var run = 1; run <= 5; run++)
        {
            var found = await Capacity.FindAsync(app.Target, Scenario.Create("spin").Get("spin", "/"), options, cancellationToken);
            var error = found.WithinBudget is { } within ? Math.Abs(within - predicted) / predicted : 1;
            errors.Add(error);
            seconds.Add(found.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{run}/5] within budget {found.WithinBudget:0.0}/s, breaking {found.Breaking:0.0}/s, error {error * 100:0.0}%, {found.Steps.Count} steps in {found.Elapsed.TotalSeconds:0.0} s"));
            if (run == 1)
            {
                Console.WriteLine(found.ToSummary());
            }
        }

        figures.AddWithTarget("capacity_knee_error_pct", errors.Max() * 100, "0.0", "<= 15 (worst of 5)", errors.Max() <= 0.15);
        figures.AddWithTarget("capacity_seconds", seconds.Max(), "0.0", "<= 60 (slowest of 5)", seconds.Max() <= 60);
        figures.Add("capacity_knee_error_pct_median", Stats.Median(errors.Select(e => e * 100).ToArray()), "0.0");
        figures.Add("capacity_predicted_per_second", predicted, "0");
    }
}
