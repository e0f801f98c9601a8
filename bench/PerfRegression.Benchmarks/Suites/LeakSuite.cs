using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Benchmarks.Suites.CrossProcess;
using PerfRegression.Benchmarks.Support;
using PerfRegression.Checks;
using PerfRegression.Session;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// The leak check's false-alarm and detection rates. Each round runs two soaks at once, each in a process of its own
/// (the heap is the process's): an app whose handler keeps 512 bytes of every request in a static list, and the same
/// app without the list, both at a constant 200 requests a second (so the leak is 100 KB/s, 5.9 MiB a minute, against
/// the check's default 1 MiB a minute), checked by <c>[LeakCheck]</c>'s defaults (a sample every 5 s). Two rounds run
/// at once (four processes: the load is light, and the heap's trend does not depend on CPU).
/// </summary>
internal static class LeakSuite
{
    public const string Options = "[--runs N (default 20)] [--seconds S (default 60)]";

    internal const string WorkerCommand = "leak-worker";

    private const int KeptBytes = 512;
    private const double Rate = 200;

    public static void CheckOptions(IReadOnlyList<string> options) => _ = Parse(options);

    public static async Task RunAsync(Figures figures, IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var (runs, seconds) = Parse(options);
        Console.WriteLine($"  {runs} rounds of a {seconds} s soak, leaking and clean side by side (two processes), {Rate:0}/s, {KeptBytes} B kept per request by the leaking app");
        var leaking = new List<WorkerResult>();
        var clean = new List<WorkerResult>();
        var clock = Stopwatch.StartNew();
        for (var round = 1; round <= runs; round += 2)
        {
            var pairs = Math.Min(2, runs - round + 1);
            var started = Enumerable.Range(0, pairs).SelectMany(_ => new[] { RunWorkerAsync(leak: true, seconds, cancellationToken), RunWorkerAsync(leak: false, seconds, cancellationToken) }).ToArray();
            var done = await Task.WhenAll(started);
            for (var p = 0; p < pairs; p++)
            {
                leaking.Add(done[2 * p]);
                clean.Add(done[(2 * p) + 1]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{round + p,2}/{runs}] {clock.Elapsed.TotalSeconds,5:0} s · leaking {Describe(done[2 * p])} · clean {Describe(done[(2 * p) + 1])}"));
            }
        }

        var falseAlarms = clean.Count(r => r.Flagged);
        var detected = leaking.Count(r => r.Flagged);
        figures.AddWithTarget("leak_false_alarm_rate", (double)falseAlarms / runs, "0.000", "<= 0.05", falseAlarms <= 0.05 * runs);
        figures.AddWithTarget("leak_detect_rate", (double)detected / runs, "0.000", ">= 0.95", detected >= 0.95 * runs);
        figures.Add("leak_runs", runs, "0");
        figures.Add("leak_soak_seconds", seconds, "0");
        figures.Add("leak_clean_heap_mib_per_minute_max", clean.Max(r => r.HeapPerMinute) / (1024 * 1024), "0.000");
        figures.Add("leak_leaking_heap_mib_per_minute_min", leaking.Min(r => r.HeapPerMinute) / (1024 * 1024), "0.000");
        figures.Add("leak_leaking_heap_mib_per_minute_median", Stats.Median(leaking.Select(r => r.HeapPerMinute / (1024 * 1024)).ToArray()), "0.000");
    }

    /// <summary>The worker: one soak in this process, its leak verdict as one line.</summary>
    public static async Task<int> WorkerAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var leak = args[0] == "leaking";
        var seconds = int.Parse(args[1], CultureInfo.InvariantCulture);
        var kept = new List<byte[]>();
        await using var app = await InProcessApp.StartAsync(
            web => web.MapGet("/", () =>
            {
                if (leak)
                {
                    lock (kept)
                    {
                        kept.Add(new byte[KeptBytes]);
                    }
                }

                return Results.Text("ok");
            }),
            cancellationToken);
        var directory = Directory.CreateTempSubdirectory("perf-leak-").FullName;
        // The soaks of a round run at once on purpose (a heap's trend does not depend on the CPU a process gets), so each
        // takes a machine lock of its own instead of waiting for the others' runs.
        Engine.MachineRunLock.LockPath = Path.Combine(directory, "load.lock");
        try
        {
            var settings = new PerfSettings { BaselineDirectory = directory, ResultsDirectory = Path.Combine(directory, "results") };
            using var session = PerfSession.Start(TestIdentity.From(typeof(LeakSuite).GetMethod(nameof(WorkerAsync))!), settings);
            session.ConfigureGate(enabled: false);
            var check = new LeakCheck();
            session.AddCheck(check);
            var report = await Load.RunAsync(app.Target, Scenario.Create("soak").Get("get", "/"), LoadProfile.ConstantRate(Rate, TimeSpan.FromSeconds(seconds), 16), new LoadOptions { Warmup = TimeSpan.FromSeconds(1), MaxWarmup = TimeSpan.FromSeconds(3) }, cancellationToken);
            var verdict = await session.FinishAsync(cancellationToken);
            var heap = check.Trends(report).Single(t => t.Resource == "heap");
            var flagged = verdict.Results.Single(r => r.Title == "Leaks").Items.Any(i => i.Severity == CheckSeverity.Fail);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LEAK {(flagged ? 1 : 0)} {heap.PerMinute:R} {heap.LowPerMinute:R} {heap.HighPerMinute:R} {report.Overall.Count}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Describe(WorkerResult r)
        => string.Create(CultureInfo.InvariantCulture, $"{(r.Flagged ? "LEAK" : "ok")} {r.HeapPerMinute / (1024 * 1024):+0.000;-0.000} MiB/min ({r.Low / (1024 * 1024):+0.000;-0.000}..{r.High / (1024 * 1024):+0.000;-0.000}), {r.Requests} requests");

    private static async Task<WorkerResult> RunWorkerAsync(bool leak, int seconds, CancellationToken cancellationToken)
    {
        var worker = await WorkerProcess.RunAsync([WorkerCommand, leak ? "leaking" : "clean", seconds.ToString(CultureInfo.InvariantCulture)], "LEAK ", TimeSpan.FromSeconds((seconds * 2) + 120), environment: null, cancellationToken);
        if (worker.ExitCode != 0 || worker.Marked.Count != 1)
        {
            throw new InvalidOperationException($"The leak worker ({(leak ? "leaking" : "clean")}) exited with {worker.ExitCode}: {worker.Output}{worker.Errors}");
        }

        var parts = worker.Marked[0].Split(' ');
        return new WorkerResult(parts[0] == "1", Parse(parts[1]), Parse(parts[2]), Parse(parts[3]), long.Parse(parts[4], CultureInfo.InvariantCulture));
    }

    private static double Parse(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    private static (int Runs, int Seconds) Parse(IReadOnlyList<string> options)
    {
        var runs = 20;
        var seconds = 60;
        for (var i = 0; i < options.Count; i++)
        {
            var value = i + 1 < options.Count && int.TryParse(options[i + 1], CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : (int?)null;
            switch (options[i])
            {
                case "--runs" when value is { } r:
                    runs = r;
                    i++;
                    break;
                case "--seconds" when value is { } s && s >= 40:
                    seconds = s;
                    i++;
                    break;
                default:
                    throw new SuiteOptionsException($"leak: '{options[i]}' is not an option here, or its value is missing or too small (--runs N ≥ 1, --seconds S ≥ 40: a trend needs 6 samples after the first quarter). Options: {Options}");
            }
        }

        return (runs, seconds);
    }

    private sealed record WorkerResult(bool Flagged, double HeapPerMinute, double Low, double High, long Requests);
}
