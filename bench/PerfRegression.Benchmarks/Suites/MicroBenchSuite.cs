using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using PerfRegression.Benchmarks.Support;
using PerfRegression.BenchmarkDotNet;
using PerfRegression.Checks;
using PerfRegression.Session;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// The micro-benchmark gate's false-alarm and detection rates across processes, as CI meets them. For each of three
/// benchmarks (a synthetic one of fixed CPU work and one allocation per operation, and the sample's plan generator and
/// shopping-list builder) one process records the baseline, then N/3 processes each run the same benchmark and are
/// compared with it (A/A); M processes run the synthetic one with 30% more work or one more allocation per operation.
/// Every process is a new JIT, a new heap and a new code layout, so the spread between processes is in the rates, not
/// only the spread between iterations. Workers run as the sample's micro-benchmark tests do: dynamic PGO off
/// (DOTNET_TieredPGO=0, what &lt;TieredPGO&gt;false&lt;/TieredPGO&gt; sets) and the framework's precompiled code off
/// (DOTNET_ReadyToRun=0, what the test project's micro.runsettings sets), the default options (three rounds, the fastest kept).
/// </summary>
internal static class MicroBenchSuite
{
    public const string Options = "[--same N (default 30, a third per benchmark)] [--changed M (default 20)]";

    internal const string WorkerCommand = "microbench-worker";

    private static readonly string[] Benchmarks = ["work", "plan", "shopping"];

    public static void CheckOptions(IReadOnlyList<string> options) => _ = Parse(options);

    public static async Task RunAsync(Figures figures, IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var (same, changed) = Parse(options);
        var directory = Directory.CreateTempSubdirectory("perf-microbench-").FullName;
        try
        {
            Console.WriteLine($"  {same} A/A processes over {Benchmarks.Length} benchmarks, {changed} with an injected change, dynamic PGO and ReadyToRun code off as in the sample's test project");
            var clock = Stopwatch.StartNew();
            var aa = new List<(string Benchmark, WorkerResult Result, double Ratio)>();
            var regressions = new List<(string Kind, WorkerResult Result)>();
            var recorded = new Dictionary<string, WorkerResult>(StringComparer.Ordinal);
            foreach (var benchmark in Benchmarks)
            {
                recorded[benchmark] = await RunWorkerAsync(directory, benchmark, "record", cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {benchmark}: baseline recorded, {recorded[benchmark].Describe()} ({clock.Elapsed.TotalSeconds:0} s)"));
            }

            for (var i = 0; i < same; i++)
            {
                var benchmark = Benchmarks[i % Benchmarks.Length];
                var result = await RunWorkerAsync(directory, benchmark, "same", cancellationToken);
                aa.Add((benchmark, result, result.MedianNanoseconds / recorded[benchmark].MedianNanoseconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [A/A {i + 1,2}/{same}] {clock.Elapsed.TotalSeconds,5:0} s · {benchmark,-8} {result.Describe()}"));
            }

            for (var i = 1; i <= changed; i++)
            {
                var kind = i % 2 == 1 ? "slower" : "allocates";
                var result = await RunWorkerAsync(directory, "work", kind, cancellationToken);
                regressions.Add((kind, result));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{kind,-9} {i,2}/{changed}] {clock.Elapsed.TotalSeconds,5:0} s · {result.Describe()}"));
            }

            var falseAlarms = aa.Count(r => r.Result.Failed);
            var detected = regressions.Count(r => r.Result.Failed);
            figures.AddWithTarget("microbench_false_alarm_rate", (double)falseAlarms / same, "0.000", "<= 0.01", falseAlarms <= 0.01 * same);
            figures.AddWithTarget("microbench_detect_rate", (double)detected / changed, "0.000", ">= 0.95", detected >= 0.95 * changed);
            figures.Add("microbench_aa_processes", same, "0");
            figures.Add("microbench_changed_processes", changed, "0");
            figures.Add("microbench_detect_rate_slower", (double)regressions.Count(r => r.Kind == "slower" && r.Result.Failed) / Math.Max(1, regressions.Count(r => r.Kind == "slower")), "0.000");
            figures.Add("microbench_detect_rate_allocates", (double)regressions.Count(r => r.Kind == "allocates" && r.Result.Failed) / Math.Max(1, regressions.Count(r => r.Kind == "allocates")), "0.000");
            foreach (var benchmark in Benchmarks)
            {
                figures.Add($"microbench_aa_ratio_range_{benchmark}", aa.Where(a => a.Benchmark == benchmark).Max(a => a.Ratio) - aa.Where(a => a.Benchmark == benchmark).Min(a => a.Ratio), "0.000");
            }

            figures.Add("microbench_aa_median_ratio_max", aa.Max(r => r.Ratio), "0.000");
            figures.Add("microbench_aa_median_ratio_min", aa.Min(r => r.Ratio), "0.000");
            figures.Add("microbench_aa_warnings", aa.Count(r => r.Result.TimeVerdict != "Same" || r.Result.AllocationVerdict != "Same"), "0");
            figures.Add("microbench_seconds_per_process", clock.Elapsed.TotalSeconds / (Benchmarks.Length + same + changed), "0.0");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The worker: one micro-benchmark test in this process, compared with (or recorded as) the baseline in the folder given.</summary>
    public static async Task<int> WorkerAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (directory, benchmark, role) = (args[0], args[1], args[2]);
        WorkBenchmarks.Work = role == "slower" ? 1.3 : 1.0;
        WorkBenchmarks.ExtraAllocation = role == "allocates";
        var type = benchmark switch
        {
            "plan" => typeof(MealPlanner.Benchmarks.PlanGeneratorBenchmarks),
            "shopping" => typeof(MealPlanner.Benchmarks.ShoppingListBenchmarks),
            _ => typeof(WorkBenchmarks),
        };
        var settings = new PerfSettings { Mode = role == "record" ? BaselineMode.Update : BaselineMode.Compare, BaselineDirectory = Path.Combine(directory, benchmark), ResultsDirectory = Path.Combine(directory, "results-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) };
        using var session = PerfSession.Start(TestIdentity.From(typeof(MicroBenchSuite).GetMethod(nameof(WorkerAsync))!), settings);
        session.ConfigureGate(enabled: false);
        var results = await MicroBenchmark.RunAsync(type, cancellationToken: cancellationToken);
        var verdict = await session.FinishAsync(cancellationToken);
        var items = verdict.Results.Single(r => r.Title == "Micro-benchmarks").Items;
        string Verdict(string check) => items.FirstOrDefault(i => i.Check == check)?.Verdict ?? "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MICRO {(verdict.Passed ? 0 : 1)} {results[0].MedianNanoseconds:R} {results[0].AllocatedBytesPerOperation ?? -1:R} {Verdict("time/op vs baseline")} {Verdict("allocated/op vs baseline")}"));
        if (!verdict.Passed && role is "record" or "same")
        {
            Console.Error.WriteLine(verdict.Text);
        }

        return 0;
    }

    private static (int Same, int Changed) Parse(IReadOnlyList<string> options)
    {
        var same = 30;
        var changed = 20;
        for (var i = 0; i < options.Count; i++)
        {
            var value = i + 1 < options.Count && int.TryParse(options[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new SuiteOptionsException($"{options[i]} needs a positive whole number");
            switch (options[i++])
            {
                case "--same": same = value; break;
                case "--changed": changed = value; break;
                default: throw new SuiteOptionsException($"unknown option {options[i - 1]}");
            }
        }

        return (same, changed);
    }

    private static async Task<WorkerResult> RunWorkerAsync(string directory, string benchmark, string role, CancellationToken cancellationToken)
    {
        var worker = await WorkerProcess.RunAsync([WorkerCommand, directory, benchmark, role], "MICRO ", TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0", ["DOTNET_ReadyToRun"] = "0" }, cancellationToken);
        if (worker.Errors.Length > 0)
        {
            Console.WriteLine(worker.Errors);
        }

        if (worker.ExitCode != 0 || worker.Marked.Count != 1)
        {
            throw new InvalidOperationException($"The micro-benchmark worker ({benchmark} {role}) exited with {worker.ExitCode}: {worker.Output}{worker.Errors}");
        }

        var parts = worker.Marked[0].Split(' ');
        return new WorkerResult(parts[0] == "1", double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture), parts[3], parts[4]);
    }

    private sealed record WorkerResult(bool Failed, double MedianNanoseconds, double AllocatedBytes, string TimeVerdict, string AllocationVerdict)
    {
        public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{(Failed ? "FAIL" : "pass")} median {MedianNanoseconds / 1000:0.00} µs, {AllocatedBytes:0} B/op, time {TimeVerdict}, allocations {AllocationVerdict}");
    }
}

/// <summary>
/// Fixed CPU work (a hash over a buffer, so the JIT cannot remove it) and one 64-byte allocation per operation (a 40-byte
/// array; the extra one is a 32-byte array of 8); the
/// worker scales the work or adds an allocation before BenchmarkDotNet runs it.
/// </summary>
public class WorkBenchmarks
{
    private readonly byte[] _buffer = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
    private byte[] _kept = [];
    private byte[] _extra = [];

    /// <summary>The work factor: 1 for the baseline, 1.3 for the injected slowdown.</summary>
    internal static double Work { get; set; } = 1;

    /// <summary>Whether each operation allocates one more object.</summary>
    internal static bool ExtraAllocation { get; set; }

    /// <summary>Hashes the buffer <c>8 × Work</c> times; allocates one array (two with the extra allocation).</summary>
    [Benchmark]
    public int Hash()
    {
        var passes = (int)Math.Round(8 * Work * 10) / 10.0;
        var hash = 17;
        var whole = (int)passes;
        for (var pass = 0; pass < whole; pass++)
        {
            hash = Mix(hash, _buffer.Length);
        }

        hash = Mix(hash, (int)(_buffer.Length * (passes - whole)));
        // Kept in fields: an array that never leaves the method is allocated on the stack by the JIT, and counts for nothing.
        _kept = new byte[40];
        _kept[0] = (byte)hash;
        if (ExtraAllocation)
        {
            _extra = new byte[8];
            _extra[0] = _kept[0];
        }

        return hash;
    }

    private int Mix(int hash, int count)
    {
        for (var i = 0; i < count; i++)
        {
            hash = (hash * 31) + _buffer[i];
        }

        return hash;
    }
}
