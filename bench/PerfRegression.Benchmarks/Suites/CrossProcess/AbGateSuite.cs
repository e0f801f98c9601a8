using System.Diagnostics;
using System.Globalization;
using System.Text;
using PerfRegression.Benchmarks.Support;

namespace PerfRegression.Benchmarks.Suites.CrossProcess;

/// <summary>
/// What <c>dotnet perf ab</c> decides, measured: a set is five rounds, each a base process and a head process of the
/// cross-process suite's small API, run one after the other in an order drawn per round, each recording its trials and
/// writing its results as a <c>dotnet test</c> run does; then each route is judged with
/// <see cref="GateComparison.CompareRounds"/>, as the command judges a test. The head runs each route unchanged (A/A)
/// or with a regression injected as real code; a third of the rounds run both sides beside a CPU-bound process, so
/// drift hits both sides of a round, as a busy CI job's does.
/// </summary>
internal static class AbGateSuite
{
    public const string Options = "[--sets N (default 8; 7 decisions each)] [--rounds N (default 5)] [--csv FILE (one row per decision)] [--max-minutes M (default 45)]";

    public static void CheckOptions(IReadOnlyList<string> options) => Parse(options);

    public static async Task RunAsync(Figures figures, IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var settings = Parse(options);
        var root = Path.Combine(Path.GetTempPath(), "perf-gate-ab-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            await using var database = await CrossProcessGateSuite.GateDatabase.StartAsync(cancellationToken);
            Console.WriteLine($"  database route: {database.Description}");
            var sets = Schedule(settings.Sets, settings.Rounds, database.ConnectionString is not null);
            Console.WriteLine($"  {settings.Sets} sets of {settings.Rounds} rounds (a base and a head process per round, order drawn), {sets.Sum(s => s.Levels.Count)} decisions; {sets.Sum(s => s.Disturbed.Count(d => d))} of {settings.Sets * settings.Rounds} rounds beside a CPU-bound process");
            Console.WriteLine();

            var decisions = new List<Decision>();
            using var csv = settings.Csv is null ? null : new StreamWriter(settings.Csv, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            csv?.WriteLine("set,route,level,verdict,failed,decided_by,ratios,seconds,reason");
            var clock = Stopwatch.StartNew();
            var order = new Random(20_261_205);
            for (var s = 0; s < sets.Length; s++)
            {
                if (clock.Elapsed > settings.MaxDuration)
                {
                    Console.WriteLine($"  stopped after {s} of {sets.Length} sets: the time limit of {settings.MaxDuration.TotalMinutes:0} min was reached; the figures below cover the sets made");
                    break;
                }

                var set = sets[s];
                var started = clock.Elapsed;
                var directory = Path.Combine(root, "s" + s.ToString("000", CultureInfo.InvariantCulture));
                for (var round = 0; round < settings.Rounds; round++)
                {
                    var headFirst = order.Next(2) == 0;
                    foreach (var head in headFirst ? new[] { true, false } : [false, true])
                    {
                        await CrossProcessGateSuite.RunWorkerAsync(Arguments(Side(directory, head, round), set, head, set.Disturbed[round], database.ConnectionString), cancellationToken);
                    }
                }

                var seconds = (clock.Elapsed - started).TotalSeconds / set.Levels.Count;
                foreach (var (route, level) in set.Levels)
                {
                    var method = GateWorker.Routes.First(r => r.Key == route).Method;
                    var before = Enumerable.Range(0, settings.Rounds).Select(r => Read(Side(directory, false, r), method)).ToArray();
                    var after = Enumerable.Range(0, settings.Rounds).Select(r => Read(Side(directory, true, r), method)).ToArray();
                    var verdict = GateComparison.CompareRounds(before, after);
                    var decision = Decision.From(route, level, verdict, seconds);
                    decisions.Add(decision);
                    csv?.WriteLine(Csv(s + 1, decision));
                }

                Directory.Delete(directory, recursive: true);
                csv?.Flush();
                Progress(decisions, s + 1, sets.Length, clock.Elapsed);
            }

            Report(figures, decisions, clock.Elapsed);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Side(string directory, bool head, int round) => Path.Combine(directory, $"{(head ? "head" : "base")}-{round}");

    private static TestResults Read(string directory, string method)
        => TestResults.ReadDirectory(Path.Combine(directory, "results")).Single(r => r.Test.EndsWith("." + method, StringComparison.Ordinal));

    private static List<string> Arguments(string directory, Set set, bool head, bool disturbed, string? connectionString)
        => GateWorker.Arguments(directory, record: true, disturbed, connectionString, set.Levels.Select(l => KeyValuePair.Create(l.Key, head ? l.Value : "aa")));

    /// <summary>
    /// The sets: every route in every set, its head level drawn from its kind's pool (fast: A/A or +30% CPU; slow: A/A,
    /// +30% waiting or +30% allocation; db: A/A or one more query), the pools shuffled with a fixed seed; a third of each
    /// set's rounds disturbed.
    /// </summary>
    private static Set[] Schedule(int sets, int rounds, bool database)
    {
        var random = new Random(20_261_204);
        var routes = GateWorker.Routes.Where(r => database || r.Kind != "db").ToArray();
        int Slots(string kind) => sets * routes.Count(r => r.Kind == kind);
        var pools = new Dictionary<string, Queue<string>>(StringComparer.Ordinal)
        {
            ["fast"] = Pool(CrossProcessGateSuite.Spread(Slots("fast"), ("cpu30", 0.3), ("aa", 0.7))),
            ["slow"] = Pool(CrossProcessGateSuite.Spread(Slots("slow"), ("wait30", 0.2), ("alloc30", 0.2), ("aa", 0.6))),
            ["db"] = Pool(CrossProcessGateSuite.Spread(Slots("db"), ("query1", 0.25), ("aa", 0.75))),
        };
        return Enumerable.Range(0, sets).Select(_ =>
        {
            var disturbed = new bool[rounds];
            foreach (var i in Enumerable.Range(0, rounds).OrderBy(_ => random.Next()).Take(rounds / 3))
            {
                disturbed[i] = true;
            }

            return new Set(routes.ToDictionary(r => r.Key, r => pools[r.Kind].Dequeue(), StringComparer.Ordinal), disturbed);
        }).ToArray();

        Queue<string> Pool(string[] levels)
        {
            random.Shuffle(levels);
            return new Queue<string>(levels);
        }
    }

    private static void Progress(IReadOnlyList<Decision> decisions, int done, int planned, TimeSpan elapsed)
    {
        var parts = decisions.GroupBy(d => d.Level).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} fail {g.Count(d => d.Failed)}/{g.Count()} inc {g.Count(d => d.Verdict == "Inconclusive")}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{done,3}/{planned}] {elapsed.TotalSeconds,6:0} s, {elapsed.TotalSeconds / Math.Max(decisions.Count, 1):0.0} s/decision · {string.Join(" · ", parts)}"));
    }

    private static void Report(Figures figures, IReadOnlyList<Decision> decisions, TimeSpan elapsed)
    {
        Console.WriteLine();
        Console.WriteLine("  level        n  FAIL  warn  same  faster  inconcl   fail rate [95% CI]        decided by");
        foreach (var group in decisions.GroupBy(d => d.Level).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var of = group.ToArray();
            var decided = of.SelectMany(d => d.DecidedBy).GroupBy(s => s).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key,-10} {of.Length,3}  {Count("Fail"),4}  {Count("Warn"),4}  {Count("Same"),4}  {Count("Faster"),6}  {Count("Inconclusive"),7}   {Rate.Of(of.Count(d => d.Failed), of.Length),-24}  {string.Join(", ", decided)}"));
            int Count(string verdict) => of.Count(d => d.Verdict == verdict);
        }

        var aa = decisions.Where(d => d.Level == "aa").ToArray();
        var injected = decisions.Where(d => d.Level != "aa").ToArray();
        Add("ab_false_alarm_rate", Rate.Of(aa.Count(d => d.Failed), aa.Length), "<= 0.01", r => r.Value <= 0.01);
        Add("ab_detect_rate", Rate.Of(injected.Count(d => d.Failed), injected.Length), ">= 0.95", r => r.Value >= 0.95);
        foreach (var level in injected.Select(d => d.Level).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var of = injected.Where(d => d.Level == level).ToArray();
            Add("ab_detect_rate_" + level, Rate.Of(of.Count(d => d.Failed), of.Length));
        }

        Add("ab_inconclusive_rate_aa", Rate.Of(aa.Count(d => d.Verdict == "Inconclusive"), aa.Length));
        figures.Add("ab_aa_decisions", aa.Length, "0");
        figures.Add("ab_decisions", decisions.Count, "0");
        figures.Add("ab_seconds_per_decision", elapsed.TotalSeconds / Math.Max(decisions.Count, 1), "0.00");

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

    private static string Csv(int set, Decision d) => string.Join(",", [
        set.ToString(CultureInfo.InvariantCulture),
        d.Route,
        d.Level,
        d.Verdict,
        d.Failed ? "1" : "0",
        string.Join(";", d.DecidedBy),
        string.Join(";", d.Ratios.Select(r => $"{r.Key}={r.Value.ToString("0.0000", CultureInfo.InvariantCulture)}")),
        d.Seconds.ToString("0.00", CultureInfo.InvariantCulture),
        "\"" + d.Reason.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
    ]);

    private static AbSettings Parse(IReadOnlyList<string> options)
    {
        var settings = new AbSettings();
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i];
            var value = i + 1 < options.Count ? options[++i] : throw new SuiteOptionsException($"option '{option}' needs a value");
            settings = option switch
            {
                "--sets" => settings with { Sets = Whole(option, value, 1, 100) },
                "--rounds" => settings with { Rounds = Whole(option, value, 2, 20) },
                "--csv" => settings with { Csv = value },
                "--max-minutes" => settings with { MaxDuration = TimeSpan.FromMinutes(Whole(option, value, 1, 600)) },
                _ => throw new SuiteOptionsException($"unknown option '{option}' for the ab suite"),
            };
        }

        return settings;

        static int Whole(string option, string text, int min, int max)
            => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new SuiteOptionsException($"option '{option}' needs a whole number from {min} to {max}, not '{text}'");
    }

    private sealed record AbSettings
    {
        public int Sets { get; init; } = 8;

        public int Rounds { get; init; } = 5;

        public string? Csv { get; init; }

        public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(45);
    }

    private sealed record Set(Dictionary<string, string> Levels, bool[] Disturbed);

    /// <summary>One route's A/B decision.</summary>
    private sealed record Decision(string Route, string Level, string Verdict, bool Failed, string[] DecidedBy, Dictionary<string, double> Ratios, double Seconds, string Reason)
    {
        public static Decision From(string route, string level, TestVerdict verdict, double seconds)
        {
            var outcome = verdict.Details<GateOutcome>();
            var comparisons = outcome?.Comparisons ?? [];
            var worst = comparisons.Select(c => c.Severity).DefaultIfEmpty(PerfRegression.Checks.CheckSeverity.Pass).Max();
            var name = !verdict.Passed ? "Fail" : worst switch
            {
                PerfRegression.Checks.CheckSeverity.Warn => "Warn",
                PerfRegression.Checks.CheckSeverity.Inconclusive => "Inconclusive",
                _ => comparisons.Any(c => c.Verdict == PerfRegression.Verdict.Faster) ? "Faster" : "Same",
            };
            return new Decision(
                route,
                level,
                name,
                !verdict.Passed,
                comparisons.Where(c => c.Severity == worst && worst != PerfRegression.Checks.CheckSeverity.Pass).Select(c => c.Statistic).ToArray(),
                comparisons.GroupBy(c => c.Statistic).ToDictionary(g => g.Key, g => g.First().Ratio),
                seconds,
                string.Join(" | ", comparisons.Where(c => c.Verdict != PerfRegression.Verdict.Same).Select(c => $"{c.Statistic}: {c.Reason}").Concat(outcome?.Problems ?? [])));
        }
    }
}
