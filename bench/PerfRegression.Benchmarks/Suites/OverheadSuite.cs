using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Benchmarks.Support;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// How much throughput the runner costs: the library's runner against a bare HttpClient loop that records
/// nothing (<see cref="BareLoop"/>), same 64-way concurrency, same clients, same in-memory no-op endpoint.
/// Both share the process and its two cores with whatever else the machine runs, so the runs are alternated
/// A B A B … and compared pair by pair: drift (other load, JIT tiering, GC state) hits both halves of a pair alike.
/// </summary>
internal static class OverheadSuite
{
    private const int Users = 64;
    private const int Pairs = 6;
    private const string Path = "/";
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(500);

    // Throughput keeps rising for several seconds while the JIT tiers up, so both sides first run this long.
    private static readonly TimeSpan FirstWarmup = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(Figures figures, CancellationToken cancellationToken)
    {
        await using var app = await InProcessApp.StartAsync(a => a.MapGet(Path, () => Results.Text("ok")), cancellationToken);
        var scenario = Scenario.Create("noop").Get("GET /", Path);

        await RunnerAsync(app.Target, scenario, FirstWarmup, cancellationToken);
        await BareLoop.RunAsync(app.Target, Path, Users, Warmup, FirstWarmup, cancellationToken);

        var ratios = new List<double>();
        var runners = new List<GeneratorFigures>();
        var bares = new List<GeneratorFigures>();
        for (var pair = 1; pair <= Pairs; pair++)
        {
            var (runner, reported) = await RunnerAsync(app.Target, scenario, Measured, cancellationToken);
            var bare = await BareLoop.RunAsync(app.Target, Path, Users, Warmup, Measured, cancellationToken);
            var ratio = runner.RequestsPerSecond / bare.RequestsPerSecond;
            ratios.Add(ratio);
            runners.Add(runner);
            bares.Add(bare);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  pair {pair}: runner {runner.RequestsPerSecond:#,0} req/s (its report says {reported:#,0}), {runner.CpuMicrosecondsPerRequest:0.00} µs CPU and {runner.AllocatedBytesPerRequest:#,0} B per request · bare {bare.RequestsPerSecond:#,0} req/s, {bare.CpuMicrosecondsPerRequest:0.00} µs CPU and {bare.AllocatedBytesPerRequest:#,0} B per request · ratio {ratio:0.000}"));
            figures.Add($"overhead_pair{pair}_runner_rps", runner.RequestsPerSecond, "0");
            figures.Add($"overhead_pair{pair}_bare_rps", bare.RequestsPerSecond, "0");
            figures.Add($"overhead_pair{pair}_ratio", ratio, "0.000");
        }

        // Where the throughput goes: the process's CPU time and allocations per request (server included, alike on both sides).
        figures.Add("overhead_runner_cpu_us_per_request", Stats.Median(runners.Select(r => r.CpuMicrosecondsPerRequest).ToArray()), "0.00");
        figures.Add("overhead_bare_cpu_us_per_request", Stats.Median(bares.Select(r => r.CpuMicrosecondsPerRequest).ToArray()), "0.00");
        figures.Add("overhead_runner_alloc_bytes_per_request", Stats.Median(runners.Select(r => r.AllocatedBytesPerRequest).ToArray()), "0");
        figures.Add("overhead_bare_alloc_bytes_per_request", Stats.Median(bares.Select(r => r.AllocatedBytesPerRequest).ToArray()), "0");
        var median = Stats.Median(ratios);
        figures.AddWithTarget("generator_overhead_ratio", median, "0.000", ">= 0.95 (median of per-pair runner/bare)", median >= 0.95);
    }

    /// <summary>The library's runner, closed model, with a short warm-up as the bare loop has.</summary>
    private static async Task<(GeneratorFigures Figures, double Reported)> RunnerAsync(ILoadTarget target, Scenario scenario, TimeSpan duration, CancellationToken cancellationToken)
    {
        var report = await Load.RunAsync(target, scenario, LoadProfile.Users(Users, duration), new LoadOptions { Warmup = Warmup }, cancellationToken);
        if (report.Overall.Errors > 0)
        {
            Console.WriteLine(report.ToSummary());
            throw new InvalidOperationException($"The runner saw {report.Overall.Errors} failed requests against a no-op endpoint; the comparison would be meaningless.");
        }

        return (GeneratorFigures.FromReport(report), report.Overall.Throughput);
    }
}
