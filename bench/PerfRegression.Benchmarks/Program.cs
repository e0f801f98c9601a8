using System.Diagnostics;
using System.Globalization;
using PerfRegression.Benchmarks.Suites;
using PerfRegression.Benchmarks.Support;

Suite[] suites =
[
    new("overhead", "runner vs bare HttpClient loop, in-memory TestServer, 64 concurrent (ratio of req/s)", OverheadSuite.RunAsync),
    new("recorder", "cost of recording one request (BenchmarkDotNet) and memory held after 1M/10M samples", RecorderSuite.RunAsync),
    new("accuracy", "runner p95 vs server-side truth; open-model p99 vs the analytic value under a periodic stall", AccuracySuite.RunAsync),
    new("loopback", "runner vs wrk against a separate no-op Kestrel process on 127.0.0.1", LoopbackSuite.RunAsync),
];

var selected = args.Length != 1 ? []
    : args[0] == "all" ? suites
    : suites.Where(s => s.Name == args[0]).ToArray();
if (selected.Length == 0)
{
    if (args.Length == 1)
    {
        Console.Error.WriteLine($"unknown suite '{args[0]}'");
    }

    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/PerfRegression.Benchmarks -- <suite>");
    Console.Error.WriteLine("suites:");
    foreach (var suite in suites)
    {
        Console.Error.WriteLine($"  {suite.Name,-9} {suite.Summary}");
    }

    Console.Error.WriteLine("  all       every suite above, in order");
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
        await suite.RunAsync(figures, cancel.Token);
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
