using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using PerfRegression.Benchmarks.Support;
using PerfRegression.Checks;
using PerfRegression.Measurement;
using PerfRegression.Session;

namespace PerfRegression.Benchmarks.Suites.CrossProcess;

/// <summary>
/// One process of the cross-process gate benchmark, as one <c>dotnet test</c> run is: a small API in this process
/// with three routes, warmed up, then either recording each route's baseline (update mode) or comparing each route
/// with the baseline another process recorded (compare mode, as CI does), with a regression injected as real code
/// and, when asked, a CPU-bound process running beside the comparison. Prints one <c>DECISION</c> line of JSON per
/// compared route.
/// </summary>
internal static class GateWorker
{
    public const string Command = "gate-worker";

    private static readonly TimeSpan Trial = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan JitWarmup = TimeSpan.FromSeconds(1.5);

    public static readonly IReadOnlyList<RouteCase> Routes =
    [
        new("fast", "fast", 2, nameof(Fast1)),
        new("fast2", "fast", 2, nameof(Fast2)),
        new("fast3", "fast", 2, nameof(Fast3)),
        new("slow", "slow", 16, nameof(Slow1)),
        new("slow2", "slow", 16, nameof(Slow2)),
        new("db", "db", 8, nameof(Db1)),
        new("db2", "db", 8, nameof(Db2)),
    ];

    // The tests the routes stand for: their identities name the baseline files.
    private static void Fast1()
    {
    }

    private static void Fast2()
    {
    }

    private static void Fast3()
    {
    }

    private static void Slow1()
    {
    }

    private static void Slow2()
    {
    }

    private static void Db1()
    {
    }

    private static void Db2()
    {
    }

    /// <summary>
    /// A worker's command line: its folder, its role (recording the baselines, adding its trials to baselines another
    /// process recorded, or comparing), the burner, the database and each route's level.
    /// </summary>
    public static List<string> Arguments(string directory, bool record, bool disturb, string? connectionString, IEnumerable<KeyValuePair<string, string>> levels, bool extend = false)
    {
        var args = new List<string> { Command, "--dir", directory };
        if (record)
        {
            args.Add(extend ? "--extend" : "--record");
        }

        if (disturb)
        {
            args.Add("--disturb");
        }

        if (connectionString is not null)
        {
            args.AddRange(["--pg", connectionString]);
        }

        foreach (var (route, level) in levels)
        {
            args.AddRange(["--level", $"{route}={level}"]);
        }

        return args;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = WorkerOptions.Parse(args);
        var work = new InjectableWork();
        await using var data = options.ConnectionString is { } cs ? NpgsqlDataSource.Create(cs) : null;
        using var server = data is null ? null : await RegisterServerAsync(data, cancellationToken);
        await using var app = await InProcessApp.StartAsync(
            a =>
            {
                foreach (var route in Routes.Where(r => r.Kind != "db" || data is not null))
                {
                    var key = route.Key;
                    _ = route.Kind switch
                    {
                        "fast" => a.MapGet(route.Path, () => work.Fast(key)),
                        "slow" => a.MapGet(route.Path, (CancellationToken ct) => work.SlowAsync(key, ct)),
                        _ => a.MapGet(route.Path, (CancellationToken ct) => work.DbAsync(key, data!, ct)),
                    };
                }
            },
            cancellationToken);
        var target = LoadTarget.InMemory(app.Server);
        var routes = Routes.Where(r => options.Levels.ContainsKey(r.Key)).ToArray();

        // JIT, tiering and connections, outside every measurement: each process, recording or comparing, the same. The
        // first route of a kind warms the code its kind shares; the others need less.
        foreach (var route in routes)
        {
            var first = routes.First(r => r.Kind == route.Kind) == route;
            await Load.RunAsync(target, Scenario.Create(route.Key).Get(route.Name, route.Path), LoadProfile.Users(route.Users, first ? JitWarmup : JitWarmup / 3), new LoadOptions { Warmup = TimeSpan.Zero }, cancellationToken);
        }

        _ = Calibration.Milliseconds;
        foreach (var route in routes)
        {
            var level = options.Levels[route.Key];
            var identity = TestIdentity.From(typeof(GateWorker).GetMethod(route.Method, BindingFlags.NonPublic | BindingFlags.Static)!);
            var scenario = Scenario.Create(route.Key).Get(route.Name, route.Path);
            var profile = LoadProfile.Users(route.Users, Trial);
            // Beside the burner when asked: the cross-process suite's comparisons, and both sides of a disturbed A/B round.
            using var burner = options.Disturb ? Burner.Start() : null;
            var before = MachineCpuClock.Read();
            var start = Stopwatch.GetTimestamp();

            // The cross-process suite records at level aa; a side of an A/B round records with its own level.
            work.Inject(route.Key, level);
            (GateOutcome? Outcome, PerfCheckException? Failure, LoadReport Report) run;
            try
            {
                run = await RunGatedAsync(options.Mode, identity, options.Directory, target, scenario, profile, cancellationToken);
            }
            finally
            {
                work.Reset();
            }

            if (options.Record)
            {
                if (run.Outcome is not { BaselineWritten: true })
                {
                    throw new InvalidOperationException($"The baseline of {route.Name} was not recorded: {run.Failure?.Message ?? string.Join("; ", run.Outcome?.Problems ?? [])}");
                }

                continue;
            }

            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var others = MachineCpuClock.OthersShare(before, MachineCpuClock.Read());
            Console.WriteLine("DECISION " + JsonSerializer.Serialize(DecisionLine.From(route, level, options.Disturb, run.Outcome, run.Failure, seconds, others)));
        }

        return 0;
    }

    /// <summary>One gated test run, as the attributes drive it: a session, the load run, the session's verdict.</summary>
    private static async Task<(GateOutcome? Outcome, PerfCheckException? Failure, LoadReport Report)> RunGatedAsync(BaselineMode mode, TestIdentity identity, string directory, ILoadTarget target, Scenario scenario, LoadProfile profile, CancellationToken cancellationToken)
    {
        var settings = new PerfSettings { Mode = mode, BaselineDirectory = Path.Combine(directory, "baselines"), ResultsDirectory = Path.Combine(directory, "results") };
        using var session = PerfSession.Start(identity, settings);
        var report = await Load.RunAsync(target, scenario, profile, new LoadOptions { Warmup = Warmup, MaxWarmup = TimeSpan.FromSeconds(1.5) }, cancellationToken);
        if (Environment.GetEnvironmentVariable("PERF_GATE_TRACE") == "1" && report.Resources is { } cost && report.Runtime is { } rt)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"TRACE {mode} {scenario.Name}: cpu {cost.CpuMillisecondsPerRequest:0.000} ms/req, runqueue {cost.RunQueueMillisecondsPerRequest:0.000} ms/req, tiering {(rt.TieringCpuTime ?? TimeSpan.Zero).TotalMilliseconds / cost.Requests:0.000} ms/req, gc pause {rt.GcPause.TotalMilliseconds / cost.Requests:0.000} ms/req, threads {rt.ThreadPoolThreadsAtStart}->{rt.ThreadPoolThreadsMax}, own cpu {rt.CpuAverage:P0}, others {rt.OtherProcessesCpu:P0}, requests {cost.Requests}"));
        }

        var verdict = await session.FinishAsync(cancellationToken);
        return (verdict.Details<GateOutcome>(), verdict.Passed ? null : new PerfCheckException(verdict), report);
    }

    /// <summary>The cluster's processes are the system's own, not a disturbance: registered as a fixture registers them.</summary>
    private static async Task<IDisposable> RegisterServerAsync(NpgsqlDataSource data, CancellationToken cancellationToken)
    {
        await using var command = data.CreateCommand("SELECT pg_backend_pid()");
        var backend = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        var stat = await File.ReadAllTextAsync($"/proc/{backend}/stat", cancellationToken);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var postmaster = int.Parse(fields[1], CultureInfo.InvariantCulture);
        return ServerProcesses.Register(postmaster, "PostgreSQL");
    }

    /// <param name="Key">The route's short name in schedules and figures.</param>
    /// <param name="Kind">fast (CPU-bound), slow (waiting) or db (one query).</param>
    /// <param name="Users">Closed-model users driving it.</param>
    /// <param name="Method">The method whose identity names its baseline.</param>
    internal sealed record RouteCase(string Key, string Kind, int Users, string Method)
    {
        public string Path => "/" + Key;

        public string Name => "GET " + Path;
    }

    private sealed record WorkerOptions(string Directory, BaselineMode Mode, bool Disturb, string? ConnectionString, IReadOnlyDictionary<string, string> Levels)
    {
        public bool Record => Mode != BaselineMode.Compare;

        public static WorkerOptions Parse(IReadOnlyList<string> args)
        {
            string? directory = null, connection = null;
            var mode = BaselineMode.Compare;
            var disturb = false;
            var levels = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Count; i++)
            {
                switch (args[i])
                {
                    case "--dir": directory = args[++i]; break;
                    case "--record": mode = BaselineMode.Update; break;
                    case "--extend": mode = BaselineMode.Extend; break;
                    case "--disturb": disturb = true; break;
                    case "--pg": connection = args[++i]; break;
                    case "--level":
                        var pair = args[++i].Split('=', 2);
                        levels[pair[0]] = pair[1];
                        break;
                    default: throw new ArgumentException($"unknown worker argument '{args[i]}'");
                }
            }

            return new WorkerOptions(directory ?? throw new ArgumentException("--dir is required"), mode, disturb, connection, levels);
        }
    }

    /// <summary>What the orchestrator reads back: the verdict of one compared route and the evidence that decided it.</summary>
    internal sealed record DecisionLine(
        string Route,
        string Level,
        bool Disturbed,
        string Verdict,
        bool Failed,
        string[] DecidedBy,
        Dictionary<string, double> Ratios,
        Dictionary<string, double[]> Medians,
        Dictionary<string, string> Verdicts,
        int CurrentTrials,
        double Seconds,
        double OthersCpu,
        string Reason)
    {
        public static DecisionLine From(RouteCase route, string level, bool disturbed, GateOutcome? outcome, PerfCheckException? failure, double seconds, double others)
        {
            if (outcome is null || outcome.Problems.Count > 0)
            {
                return new(route.Key, level, disturbed, "Error", failure is not null, [], [], [], [], 0, seconds, others, outcome is null ? failure?.Message ?? "no gate outcome" : string.Join("; ", outcome.Problems));
            }

            var comparisons = outcome.Comparisons;
            var worst = comparisons.Select(c => c.Severity).DefaultIfEmpty(CheckSeverity.Pass).Max();
            var verdict = worst switch
            {
                CheckSeverity.Fail => "Fail",
                CheckSeverity.Warn => "Warn",
                CheckSeverity.Inconclusive => "Inconclusive",
                _ => comparisons.Any(c => c.Verdict == PerfRegression.Verdict.Faster) ? "Faster" : "Same",
            };
            return new(
                route.Key,
                level,
                disturbed,
                verdict,
                failure is not null,
                comparisons.Where(c => c.Severity == worst && worst != CheckSeverity.Pass).Select(c => c.Statistic).ToArray(),
                comparisons.ToDictionary(c => c.Statistic, c => c.Ratio),
                comparisons.ToDictionary(c => c.Statistic, c => new[] { Stats.Median(c.Baseline.ToArray()), Stats.Median(c.Current.ToArray()) }),
                comparisons.ToDictionary(c => c.Statistic, c => c.Severity == CheckSeverity.Pass ? c.Verdict.ToString() : $"{c.Verdict}/{c.Severity}"),
                comparisons.Select(c => c.Current.Count).DefaultIfEmpty(0).Max(),
                seconds,
                others,
                string.Join(" | ", comparisons.Where(c => c.Verdict != PerfRegression.Verdict.Same).Select(c => $"{c.Statistic}: {c.Reason}")));
        }
    }

    /// <summary>
    /// The API's work with a regression injectable as real code: more CPU work (SHA-256 rounds), more allocation
    /// (4 KB arrays, under the large-object threshold), more waiting (a longer delay), or one more database command.
    /// At level aa nothing changes.
    /// </summary>
    private sealed class InjectableWork
    {
        // /fast and /fast2: ~2 ms of hashing per request, so the handler is most of the request's CPU (the in-memory
        // client and server add ~0.1 ms): +30% of the handler is ~+28% of the request.
        private const int FastHashRounds = 1000;

        // /slow: ~0.3 ms of hashing and 64 KB of arrays (most of what a request allocates), then a lognormal wait
        // (median 20 ms, sigma 0.3; p95 ≈ 33 ms).
        private const int SlowHashRounds = 150;
        private const int SlowArrays = 16;
        private const double WaitMedianMs = 20;
        private const double WaitSigma = 0.3;

        private readonly byte[] _payload = RandomNumberGenerator.GetBytes(4096);
        private readonly double[] _normals;
        private long _next = -1;
        private volatile Injection _injection = Injection.None;

        public InjectableWork()
        {
            var random = new Random(20_261_204);
            _normals = new double[1 << 16];
            for (var i = 0; i < _normals.Length; i++)
            {
                _normals[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            }
        }

        public void Inject(string route, string level) => _injection = new Injection(route, level);

        public void Reset() => _injection = Injection.None;

        public IResult Fast(string route)
        {
            Hash(Scaled(FastHashRounds, _injection.Applies(route, "cpu30")));
            return Results.Text("ok");
        }

        public async Task<IResult> SlowAsync(string route, CancellationToken cancellationToken)
        {
            var injection = _injection;
            Hash(Scaled(SlowHashRounds, injection.Applies(route, "cpu30")));
            var arrays = new byte[Scaled(SlowArrays, injection.Applies(route, "alloc30"))][];
            for (var a = 0; a < arrays.Length; a++)
            {
                arrays[a] = new byte[4096];
            }

            GC.KeepAlive(arrays);
            var i = (int)(Interlocked.Increment(ref _next) & (_normals.Length - 1));
            var wait = WaitMedianMs * Math.Exp(WaitSigma * _normals[i]) * (injection.Applies(route, "wait30") ? 1.3 : 1.0);
            await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
            return Results.Text("ok");
        }

        public async Task<IResult> DbAsync(string route, NpgsqlDataSource data, CancellationToken cancellationToken)
        {
            var injection = _injection;
            var i = (int)(Interlocked.Increment(ref _next) & 1023);
            var value = await QueryAsync(data, i, cancellationToken);
            if (injection.Applies(route, "query1"))
            {
                value += await QueryAsync(data, (i + 1) & 1023, cancellationToken);
            }

            return Results.Text(value.ToString(CultureInfo.InvariantCulture));
        }

        private static async Task<long> QueryAsync(NpgsqlDataSource data, int id, CancellationToken cancellationToken)
        {
            await using var command = data.CreateCommand("SELECT v FROM gate_items WHERE id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        private static int Scaled(int amount, bool injected) => injected ? (int)Math.Round(amount * 1.3) : amount;

        private void Hash(int rounds)
        {
            Span<byte> hash = stackalloc byte[32];
            for (var r = 0; r < rounds; r++)
            {
                SHA256.HashData(_payload, hash);
            }
        }

        private sealed record Injection(string Route, string Level)
        {
            public static readonly Injection None = new(string.Empty, "aa");

            public bool Applies(string route, string level) => Route == route && Level == level;
        }
    }

    /// <summary>A CPU-bound process beside the comparison: one spinning thread, which stops by itself after a minute.</summary>
    internal sealed class Burner : IDisposable
    {
        public const string Command = "gate-burner";

        private readonly Process _process;

        private Burner(Process process) => _process = process;

        public static Burner Start()
        {
            var (file, prefix) = Self.Command();
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in prefix.Append(Command).Append("60"))
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("The burner process did not start.");
            process.StandardOutput.ReadLine(); // "burning": it holds a core from here on
            return new Burner(process);
        }

        /// <summary>The burner's own entry point: spins until killed or <paramref name="seconds"/> pass.</summary>
        public static int Run(IReadOnlyList<string> args)
        {
            var limit = TimeSpan.FromSeconds(args.Count > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 60);
            Console.WriteLine("burning");
            var clock = Stopwatch.StartNew();
            double x = 1;
            while (clock.Elapsed < limit)
            {
                for (var i = 0; i < 1_000_000; i++)
                {
                    x = Math.Sqrt(x + i);
                }
            }

            return x > 0 ? 0 : 1;
        }

        public void Dispose()
        {
            try
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // It had stopped by itself.
            }

            _process.Dispose();
        }
    }
}

/// <summary>How to start this benchmark program again as a child process.</summary>
internal static class Self
{
    public static (string File, IReadOnlyList<string> Prefix) Command()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("This process's path is unknown.");
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? (path, [typeof(Self).Assembly.Location])
            : (path, []);
    }
}
