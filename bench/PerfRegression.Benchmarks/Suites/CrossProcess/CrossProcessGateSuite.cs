using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using PerfRegression.Benchmarks.Support;
using PerfRegression.PostgreSql;

namespace PerfRegression.Benchmarks.Suites.CrossProcess;

/// <summary>
/// The regression gate measured as CI uses it: baselines recorded by several processes, one after another (as
/// <c>PERF_BASELINE=extend</c> records the sample's), then compared by processes started later, as <c>dotnet test</c>
/// runs in CI are, several against the same baselines as pull requests are. A round is one comparing process
/// for seven routes of a small in-process API: three fast CPU-bound routes (p95 ≈ 3–5 ms), two slower waiting ones (p95 ≈ 30 ms), two making one PostgreSQL query each. The comparing process runs each route unchanged (A/A) or
/// with a regression injected as real code (+30% CPU work on a fast route, +30% waiting or +30% allocation on the slower one, one more query), and in
/// some rounds with a CPU-bound process holding a core beside it. Levels are assigned per round in a seeded random
/// order, so drift in the machine's load hits every level alike.
/// </summary>
internal static class CrossProcessGateSuite
{
    private const double ContendedShare = 0.25;

    public static async Task RunAsync(Figures figures, int rounds, int baselineProcesses, int roundsPerBaseline, TimeSpan maxDuration, string? csvPath, CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), "perf-gate-xproc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            await using var database = await GateDatabase.StartAsync(cancellationToken);
            Console.WriteLine($"  database route: {database.Description}");
            var schedule = Schedule(rounds, database.ConnectionString is not null);
            Console.WriteLine($"  {rounds} rounds (a comparing process each), {schedule.Sum(r => r.Levels.Count)} decisions; {schedule.Count(r => r.Disturbed)} rounds compare beside a CPU-bound process; "
                + $"every {roundsPerBaseline} rounds compare against baselines recorded afresh by {baselineProcesses} processes one after another");
            foreach (var route in GateWorker.Routes)
            {
                Console.WriteLine($"    {route.Key} ({route.Kind}): {route.Name}, {route.Users} closed-model users, 0.3 s warm-up, 0.5 s trials; levels " + string.Join(", ", schedule.Where(r => r.Levels.ContainsKey(route.Key)).GroupBy(r => (r.Levels[route.Key], r.Disturbed)).OrderBy(g => g.Key.Item2).ThenBy(g => g.Key.Item1, StringComparer.Ordinal).Select(g => $"{g.Key.Item1}{(g.Key.Item2 ? " disturbed" : string.Empty)} ×{g.Count()}")));
            }

            Console.WriteLine($"  gate {Describe(GatePolicy.Default)}");
            Console.WriteLine();

            var decisions = new List<GateWorker.DecisionLine>();
            using var csv = csvPath is null ? null : new StreamWriter(csvPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            csv?.WriteLine("round,route,level,disturbed,verdict,failed,decided_by,ratios,medians,verdicts,current_trials,seconds,others_cpu,reason");
            var clock = Stopwatch.StartNew();
            var madeRounds = 0;
            var directory = Path.Combine(root, "baselines-0");
            for (var i = 0; i < schedule.Length; i++)
            {
                if (clock.Elapsed > maxDuration)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  stopped after {i} of {schedule.Length} rounds: the time limit of {maxDuration.TotalMinutes:0} min was reached; the figures below cover the rounds made"));
                    break;
                }

                var round = schedule[i];
                if (i % roundsPerBaseline == 0)
                {
                    // Fresh baselines for the next rounds, every route at level aa, one recording process after another.
                    if (Directory.Exists(directory))
                    {
                        Directory.Delete(directory, recursive: true);
                    }

                    directory = Path.Combine(root, "baselines-" + i.ToString("000", CultureInfo.InvariantCulture));
                    Directory.CreateDirectory(directory);
                    for (var p = 0; p < baselineProcesses; p++)
                    {
                        await RunWorkerAsync(GateWorker.Arguments(directory, record: true, disturb: false, database.ConnectionString, round.Levels.Select(l => KeyValuePair.Create(l.Key, "aa")), extend: p > 0), cancellationToken);
                    }
                }

                foreach (var line in await RunWorkerAsync(GateWorker.Arguments(directory, record: false, disturb: round.Disturbed, database.ConnectionString, round.Levels), cancellationToken))
                {
                    decisions.Add(line);
                    csv?.WriteLine(Csv(i + 1, line));
                }

                madeRounds++;
                csv?.Flush();
                if ((i + 1) % 5 == 0 || i + 1 == schedule.Length)
                {
                    Progress(decisions, i + 1, schedule.Length, clock.Elapsed);
                }
            }

            figures.Add("xproc_baseline_processes", baselineProcesses, "0");
            figures.Add("xproc_rounds_per_baseline", roundsPerBaseline, "0");
            Report(figures, decisions, madeRounds, clock.Elapsed);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// The rounds: a quarter compare beside a CPU-bound process (half the fast routes' slots injected with +30% CPU,
    /// every other route unchanged); the rest spread the fast routes over A/A and +30% CPU, the slow routes over A/A,
    /// +30% waiting and +30% allocation, the database routes over A/A and one more query. Each kind's levels are
    /// shuffled over all its routes' slots.
    /// </summary>
    private static Round[] Schedule(int rounds, bool database)
    {
        var random = new Random(20_261_204);
        var disturbed = rounds / 4;
        var quiet = rounds - disturbed;
        var routes = GateWorker.Routes.Where(r => database || r.Kind != "db").ToArray();
        int Slots(string kind, int count) => count * routes.Count(r => r.Kind == kind);
        var pools = new Dictionary<(string Kind, bool Disturbed), Queue<string>>
        {
            [("fast", true)] = Pool(Spread(Slots("fast", disturbed), ("cpu30", 0.5), ("aa", 0.5))),
            [("fast", false)] = Pool(Spread(Slots("fast", quiet), ("cpu30", 0.25), ("aa", 0.75))),
            [("slow", true)] = Pool(Spread(Slots("slow", disturbed), ("aa", 1))),
            [("slow", false)] = Pool(Spread(Slots("slow", quiet), ("wait30", 0.2), ("alloc30", 0.2), ("aa", 0.6))),
            [("db", true)] = Pool(Spread(Slots("db", disturbed), ("aa", 1))),
            [("db", false)] = Pool(Spread(Slots("db", quiet), ("query1", 0.25), ("aa", 0.75))),
        };
        var list = new List<Round>();
        for (var i = 0; i < rounds; i++)
        {
            var isDisturbed = i < disturbed;
            list.Add(new Round(isDisturbed, routes.ToDictionary(r => r.Key, r => pools[(r.Kind, isDisturbed)].Dequeue(), StringComparer.Ordinal)));
        }

        var all = list.ToArray();
        random.Shuffle(all);
        return all;

        Queue<string> Pool(string[] levels)
        {
            random.Shuffle(levels);
            return new Queue<string>(levels);
        }
    }

    /// <summary>Levels for <paramref name="count"/> slots in the given shares (the last takes what the rounding leaves).</summary>
    internal static string[] Spread(int count, params (string Level, double Share)[] shares)
    {
        var levels = new List<string>();
        foreach (var (level, share) in shares.Take(shares.Length - 1))
        {
            levels.AddRange(Enumerable.Repeat(level, (int)Math.Round(count * share)));
        }

        levels.AddRange(Enumerable.Repeat(shares[^1].Level, Math.Max(0, count - levels.Count)));
        return levels.Take(count).ToArray();
    }

    /// <summary>Runs one worker process to its end (at most two minutes) and returns its decisions.</summary>
    internal static async Task<IReadOnlyList<GateWorker.DecisionLine>> RunWorkerAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (file, prefix) = Self.Command();
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in prefix.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("The worker process did not start.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var lines = new List<GateWorker.DecisionLine>();
        var output = new StringBuilder();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                if (line.StartsWith("DECISION ", StringComparison.Ordinal))
                {
                    lines.Add(JsonSerializer.Deserialize<GateWorker.DecisionLine>(line["DECISION ".Length..])!);
                }
                else
                {
                    output.AppendLine(line);
                }
            }

            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The worker ({string.Join(' ', args.Take(4))}…) exited with {process.ExitCode}: {output}{await stderr}");
        }

        return lines;
    }

    private static void Progress(IReadOnlyList<GateWorker.DecisionLine> decisions, int done, int planned, TimeSpan elapsed)
    {
        var parts = decisions.GroupBy(d => Group(d)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} fail {g.Count(d => d.Failed)}/{g.Count()} inc {g.Count(d => d.Verdict == "Inconclusive")}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{done,3}/{planned}] {elapsed.TotalSeconds,6:0} s, {elapsed.TotalSeconds / Math.Max(decisions.Count, 1):0.0} s/decision · {string.Join(" · ", parts)}"));
    }

    private static string Group(GateWorker.DecisionLine d) => $"{GateWorker.Routes.First(r => r.Key == d.Route).Kind}/{d.Level}{(d.Disturbed ? "/disturbed" : string.Empty)}";

    private static void Report(Figures figures, IReadOnlyList<GateWorker.DecisionLine> decisions, int rounds, TimeSpan elapsed)
    {
        Console.WriteLine();
        Console.WriteLine("  route/level              n  FAIL  warn  same  faster  inconcl  error   fail rate [95% CI]        decided by (fail/warn/inconclusive)        median ratio p95 / cpu / alloc / db   others' CPU median");
        foreach (var group in decisions.GroupBy(Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var of = group.ToArray();
            var rate = Rate.Of(of.Count(d => d.Failed), of.Length);
            var decided = of.SelectMany(d => d.DecidedBy).GroupBy(s => s).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {group.Key,-22} {of.Length,3}  {Count("Fail"),4}  {Count("Warn"),4}  {Count("Same"),4}  {Count("Faster"),6}  {Count("Inconclusive"),7}  {Count("Error"),5}   {rate,-24}  {string.Join(", ", decided),-40}  {MedianRatio(of, "p95")} / {MedianRatio(of, "cpu")} / {MedianRatio(of, "alloc")} / {MedianRatio(of, "db")}   {Stats.Median(of.Select(d => d.OthersCpu).Where(double.IsFinite).DefaultIfEmpty(double.NaN).ToArray()):P0}"));
            int Count(string verdict) => of.Count(d => d.Verdict == verdict);
        }

        var aa = decisions.Where(d => d.Level == "aa").ToArray();
        var quietAa = aa.Where(d => !d.Disturbed).ToArray();
        var falseAlarms = Rate.Of(aa.Count(d => d.Failed), aa.Length);
        Add("xproc_false_alarm_rate", falseAlarms, "<= 0.01", r => r.Value <= 0.01 && r.Trials >= 100);
        Add("xproc_false_alarm_rate_quiet", Rate.Of(quietAa.Count(d => d.Failed), quietAa.Length));
        Add("xproc_false_alarm_rate_disturbed", Rate.Of(aa.Count(d => d.Disturbed && d.Failed), aa.Count(d => d.Disturbed)));
        Add("xproc_warn_rate_aa", Rate.Of(aa.Count(d => d.Verdict == "Warn"), aa.Length));
        Add("xproc_inconclusive_rate", Rate.Of(quietAa.Count(d => d.Verdict == "Inconclusive"), quietAa.Length), "<= 0.05", r => r.Value <= 0.05);
        Add("xproc_inconclusive_rate_disturbed", Rate.Of(aa.Count(d => d.Disturbed && d.Verdict == "Inconclusive"), aa.Count(d => d.Disturbed)));
        Detect("cpu30_fast", d => d.Level == "cpu30" && !d.Disturbed, ">= 0.95", 0.95);
        Detect("alloc30", d => d.Level == "alloc30", ">= 0.95", 0.95);
        Detect("query1", d => d.Level == "query1", ">= 0.99", 0.99);
        Detect("cpu30_disturbed", d => d.Level == "cpu30" && d.Disturbed, ">= 0.9", 0.9);
        Detect("wait30_slow", d => d.Level == "wait30", null, 0);
        figures.Add("xproc_aa_decisions", aa.Length, "0");
        figures.Add("xproc_rounds", rounds, "0");
        figures.Add("xproc_decisions", decisions.Count, "0");
        var perDecision = elapsed.TotalSeconds / Math.Max(decisions.Count, 1);
        figures.AddWithTarget("seconds_per_decision", perDecision, "0.00", "<= 20", perDecision <= 20);

        // Which evidence decided, over every failed decision.
        foreach (var statistic in decisions.Where(d => d.Failed).SelectMany(d => d.DecidedBy).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            figures.Add($"xproc_failures_decided_by_{statistic.Replace('-', '_')}", decisions.Count(d => d.Failed && d.DecidedBy.Contains(statistic)), "0");
        }

        void Detect(string name, Func<GateWorker.DecisionLine, bool> which, string? target, double threshold)
        {
            var of = decisions.Where(which).ToArray();
            Add("xproc_detect_rate_" + name, Rate.Of(of.Count(d => d.Failed), of.Length), target, r => r.Value >= threshold);
            figures.Add("xproc_decisions_" + name, of.Length, "0");
        }

        void Add(string name, Rate rate, string? target = null, Func<Rate, bool>? met = null)
        {
            if (target is not null && met is not null && rate.Trials > 0)
            {
                figures.AddWithTarget(name, rate.Value, "0.0000", target, met(rate));
            }
            else
            {
                figures.Add(name, rate.Value, "0.0000");
            }

            figures.Add(name + "_lower95", rate.Lower, "0.0000");
            figures.Add(name + "_upper95", rate.Upper, "0.0000");
        }
    }

    private static string MedianRatio(IEnumerable<GateWorker.DecisionLine> decisions, string statistic)
    {
        var ratios = decisions.Select(d => d.Ratios.TryGetValue(statistic, out var r) ? r : double.NaN).Where(double.IsFinite).ToArray();
        return ratios.Length == 0 ? "-" : Stats.Median(ratios).ToString("0.000", CultureInfo.InvariantCulture);
    }

    private static string Csv(int round, GateWorker.DecisionLine d) => string.Join(",", [
        round.ToString(CultureInfo.InvariantCulture),
        d.Route,
        d.Level,
        d.Disturbed ? "1" : "0",
        d.Verdict,
        d.Failed ? "1" : "0",
        string.Join(";", d.DecidedBy),
        string.Join(";", d.Ratios.Select(r => $"{r.Key}={r.Value.ToString("0.0000", CultureInfo.InvariantCulture)}")),
        string.Join(";", d.Medians.Select(m => $"{m.Key}={m.Value[0].ToString("0.####", CultureInfo.InvariantCulture)}>{m.Value[1].ToString("0.####", CultureInfo.InvariantCulture)}")),
        string.Join(";", d.Verdicts.Select(v => $"{v.Key}={v.Value}")),
        d.CurrentTrials.ToString(CultureInfo.InvariantCulture),
        d.Seconds.ToString("0.00", CultureInfo.InvariantCulture),
        d.OthersCpu.ToString("0.000", CultureInfo.InvariantCulture),
        "\"" + d.Reason.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
    ]);

    private static string Describe(GatePolicy policy) => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(",", policy.Statistics)} + costs {string.Join(",", policy.Costs)}, warn +{policy.WarnMargin:P0}, fail +{policy.FailMargin:P0}, {policy.Trials} trials, α {policy.Alpha}, latency floor {policy.MinimumSlowdownMilliseconds} ms");

    private sealed record Round(bool Disturbed, Dictionary<string, string> Levels);

    /// <summary>The database route's server: a throwaway local cluster with a 1,024-row table, or none where PostgreSQL cannot start.</summary>
    internal sealed class GateDatabase : IAsyncDisposable
    {
        private readonly PostgresServer? _server;

        private GateDatabase(PostgresServer? server, string? connectionString, string description)
        {
            _server = server;
            ConnectionString = connectionString;
            Description = description;
        }

        public string? ConnectionString { get; }

        public string Description { get; }

        public static async Task<GateDatabase> StartAsync(CancellationToken cancellationToken)
        {
            PostgresServer server;
            try
            {
                server = await PostgresServer.StartAsync(new PostgresServerOptions { ClustersDirectory = Path.Combine(Path.GetTempPath(), "perfregression-bench-postgres") }, cancellationToken);
            }
            catch (PostgresUnavailableException ex)
            {
                return new GateDatabase(null, null, "not measured: " + ex.Message);
            }

            var database = await server.CreateDatabaseAsync(cancellationToken: cancellationToken);
            await using (var data = NpgsqlDataSource.Create(database.ConnectionString))
            await using (var command = data.CreateCommand("CREATE TABLE gate_items (id int PRIMARY KEY, v bigint NOT NULL); INSERT INTO gate_items SELECT i, i * 7 FROM generate_series(0, 1023) i; ANALYZE gate_items;"))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new GateDatabase(server, database.ConnectionString, $"{server.Description}, database {database.Name} (1,024 rows)");
        }

        public async ValueTask DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
