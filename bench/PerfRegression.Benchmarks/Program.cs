using System.Diagnostics;
using System.Globalization;
using PerfRegression.Benchmarks.Suites;
using PerfRegression.Benchmarks.Suites.CrossProcess;
using PerfRegression.Benchmarks.Support;

Suite[] suites =
[
    new("overhead", "runner vs bare HttpClient loop, in-memory TestServer, 64 concurrent (ratio of req/s)", OverheadSuite.RunAsync),
    new("recorder", "cost of recording one request (BenchmarkDotNet) and memory held after 1M/10M samples", RecorderSuite.RunAsync),
    new("accuracy", "runner p95 vs server-side truth; open-model p99 vs the analytic value under a periodic stall", AccuracySuite.RunAsync),
    new("loopback", "runner vs wrk against a separate no-op Kestrel process on 127.0.0.1", LoopbackSuite.RunAsync),
    new("querycapture", "per-request query capture on vs off: the sample's plan calendar on PostgreSQL, 32 users (ratio of req/s)", QueryCaptureSuite.RunAsync),
    new("reliability", "baselines under kill -9 (60 kills), PostgreSQL clusters after killed fixtures (5 kills), the bad-input catalogue's outcomes", ReliabilitySuite.RunAsync),
    new("gate", "the regression gate's false-alarm and detection rates: A/A and injected +10/20/30/50% slowdowns in one process (~35 min), or across processes as CI compares (--cross-process, ~23 min)", GateSuite.RunAsync, GateSuite.Options, GateSuite.CheckOptions, InAll: false),
    new("capacity", "capacity search on a CPU-bound endpoint of known service time (4 ms on every core), 5 searches: worst error against Little's law, seconds per search (~4 min)", CapacitySuite.RunAsync),
    new("leak", "the leak check's false-alarm and detection rates: 60 s soaks of a leaking and a clean app side by side in two processes, 20 rounds, two at a time (~12 min)", LeakSuite.RunAsync, LeakSuite.Options, LeakSuite.CheckOptions, InAll: false),
    new("microbench", "micro-benchmark budgets' gate across processes: baselines recorded in one process each, 30 A/A processes over a synthetic benchmark and the sample's two, 20 with +30% work or one more allocation per operation (~12 min)", MicroBenchSuite.RunAsync, MicroBenchSuite.Options, MicroBenchSuite.CheckOptions, InAll: false),
    new("ab", "dotnet perf ab's decisions: base and head processes run alternately for 5 rounds per set, A/A and injected regressions, some rounds beside a CPU-bound process (~45 min)", AbGateSuite.RunAsync, AbGateSuite.Options, AbGateSuite.CheckOptions, InAll: false),
];

// Child processes of the cross-process gate suite: this program started again in another role.
if (args.Length > 0 && args[0] == GateWorker.Command)
{
    return await GateWorker.RunAsync(args[1..], CancellationToken.None);
}

if (args.Length > 0 && args[0] == LeakSuite.WorkerCommand)
{
    return await LeakSuite.WorkerAsync(args[1..], CancellationToken.None);
}

if (args.Length > 0 && args[0] == MicroBenchSuite.WorkerCommand)
{
    return await MicroBenchSuite.WorkerAsync(args[1..], CancellationToken.None);
}

if (args.Length > 0 && args[0] == GateWorker.Burner.Command)
{
    return GateWorker.Burner.Run(args[1..]);
}

var options = args.Skip(1).ToArray();
var selected = args.Length == 0 ? []
    : args[0] == "all" ? suites.Where(s => s.InAll).ToArray()
    : suites.Where(s => s.Name == args[0]).ToArray();
string? problem = args.Length == 0 ? null
    : selected.Length == 0 ? $"unknown suite '{args[0]}'"
    : options.Length > 0 && (selected.Length != 1 || selected[0].Options is null) ? $"suite '{args[0]}' takes no options"
    : null;
if (selected.Length == 0 || problem is not null)
{
    return Usage(problem);
}

try
{
    selected[0].CheckOptions?.Invoke(options);
}
catch (SuiteOptionsException ex)
{
    return Usage(ex.Message);
}

int Usage(string? problem)
{
    if (problem is not null)
    {
        Console.Error.WriteLine(problem);
    }

    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/PerfRegression.Benchmarks -- <suite> [options]");
    Console.Error.WriteLine("suites:");
    foreach (var suite in suites)
    {
        Console.Error.WriteLine($"  {suite.Name,-12} {suite.Summary}");
        if (suite.Options is { } usage)
        {
            Console.Error.WriteLine($"               options: {usage}");
        }
    }

    Console.Error.WriteLine($"  all          every suite above except {string.Join(", ", suites.Where(s => !s.InAll).Select(s => s.Name))} (too long), in order");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the suites stop and clean up (the loopback suite kills its server process).
    e.Cancel = true;
    cancel.Cancel();
};

var failed = 0;
foreach (var suite in selected)
{
    Console.WriteLine($"== {suite.Name}: {suite.Summary}");
    var figures = new Figures();
    var clock = Stopwatch.StartNew();
    try
    {
        await suite.RunAsync(figures, options, cancel.Token);
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        Console.WriteLine($"suite '{suite.Name}' cancelled");
        return 130;
    }
    catch (Exception ex)
    {
        failed++;
        Console.WriteLine($"suite '{suite.Name}' failed: {ex}");
    }

    figures.Add($"{suite.Name}_suite_seconds", clock.Elapsed.TotalSeconds, "0.0");
    figures.Print();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== {suite.Name} done in {clock.Elapsed.TotalSeconds:0.0} s"));
    Console.WriteLine();
}

return failed == 0 ? 0 : 1;
