using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Benchmarks.Support;
using PerfRegression.Checks;
using PerfRegression.Session;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// The regression gate's verdict quality on this machine. Each decision is what CI does for one test: a
/// baseline recorded through the library's real code path in update mode (5 trials), then a current run in
/// compare mode against it (1 trial when the first looks like the baseline, 5 to confirm), judged by the test's
/// <see cref="PerfSession"/> as the attributes judge a test. The API is an in-process TestServer
/// whose handler hashes (CPU) and waits (I/O-like); a mutable factor scales both, 1.0 for every baseline
/// and 1.0 (A/A), 1.1, 1.2, 1.3 or 1.5 for the current run. The same data is also judged by the naive rule
/// (first baseline trial against first current trial, fail when p95 grew more than 20%).
/// </summary>
internal static class GateSuite
{
    public const string Options = "[--decisions N (A/A, default 200)] [--per-level N (each slowdown, default 60)] [--csv FILE (one row per decision)] [--max-minutes M (default 60)]\n"
        + "               or --cross-process [--rounds N (default 24; 7 decisions each)] [--baseline-processes N (default 3)] [--rounds-per-baseline N (default 4)] [--csv FILE] [--max-minutes M (default 23)]:\n"
        + "               baselines recorded by several processes one after another, compared by others started later";

    private const int Users = 16;
    private const string RouteName = "GET /work";
    private const string PathName = "/work";
    private const double NaiveFailRatio = 1.2;
    private const int MaxErrors = 10;

    // Other processes using this share of all cores or more during a decision count as contended, by the exact
    // accounting of MachineCpuClock. The library's own threshold (RuntimeHealth.DisturbedByOtherProcesses) is a
    // tenth, read from /proc/stat, which misses short bursts.
    private const double ContendedShare = 0.25;

    // The handler's work at factor 1: SHA-256 over a 4 KB buffer this many times (~0.3 ms here), then a wait
    // drawn from a lognormal with this median and sigma (p95 ≈ 10·e^(1.645·0.5) ≈ 22.8 ms). Timers fire on a
    // whole-millisecond grid about a millisecond late, a part of the latency the factor does not scale, and
    // they make p95 move in steps of about a millisecond: waits much shorter than this would turn an
    // injected +30% into about +23% of p95 in steps of 8–10% (measured with a 4 ms median), this keeps both small.
    private const int HashRounds = 150;
    private const double WaitMedianMs = 10;
    private const double WaitSigma = 0.5;

    private static readonly TimeSpan Trial = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(300);

    private static readonly Level[] Levels =
    [
        new("aa", "A/A", 1.0),
        new("10pct", "+10%", 1.1),
        new("20pct", "+20%", 1.2),
        new("30pct", "+30%", 1.3),
        new("50pct", "+50%", 1.5),
    ];

    private static readonly MethodInfo Method = typeof(GateSuite).GetMethod(nameof(Decision), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static void CheckOptions(IReadOnlyList<string> options) => Parse(options);

    public static async Task RunAsync(Figures figures, IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var settings = Parse(options);
        if (settings.CrossProcess)
        {
            await CrossProcess.CrossProcessGateSuite.RunAsync(figures, settings.Rounds, settings.BaselineProcesses, settings.RoundsPerBaseline, settings.MaxDuration ?? TimeSpan.FromMinutes(23), settings.Csv, cancellationToken);
            return;
        }

        var root = Path.Combine(Path.GetTempPath(), "perf-gate-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            await RunDecisionsAsync(figures, settings with { MaxDuration = settings.MaxDuration ?? TimeSpan.FromMinutes(60) }, root, cancellationToken);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The test a decision stands for: its identity names the baseline file.</summary>
    private static void Decision()
    {
    }

    private static async Task RunDecisionsAsync(Figures figures, Settings settings, string root, CancellationToken cancellationToken)
    {
        var work = new SlowableWork(seed: 20_261_123);
        await using var app = await InProcessApp.StartAsync(a => a.MapGet(PathName, work.HandleAsync), cancellationToken);
        var target = LoadTarget.InMemory(app.Server);
        var scenario = Scenario.Create("gate").Get(RouteName, PathName);
        var profile = LoadProfile.Users(Users, Trial);
        var options = new LoadOptions { Warmup = Warmup };

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  API: GET {PathName} hashes 4 KB {HashRounds}× (CPU, {work.MeasureCpuMilliseconds():0.00} ms here) then awaits a lognormal wait (median {WaitMedianMs} ms, σ {WaitSigma}); both × the injected factor"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  load: {Users} closed-model users, {Warmup.TotalSeconds:0.0} s warm-up, {Trial.TotalSeconds:0.0} s trials; target {target.Description}; gate {Describe(GatePolicy.Default)}"));

        // JIT, tiering, connection set-up and the gate's calibration workload, outside every decision.
        await Load.RunAsync(target, scenario, LoadProfile.Users(Users, TimeSpan.FromSeconds(3)), options, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  calibration workload {Calibration.Milliseconds:0.00} ms (measured once, recorded in every baseline)"));

        // Levels interleaved in a seeded random order, so drift in the machine's load hits every level alike.
        var schedule = Levels.SelectMany(l => Enumerable.Repeat(l, l.Factor == 1.0 ? settings.AaDecisions : settings.PerLevel)).ToArray();
        new Random(7).Shuffle(schedule);
        Console.WriteLine($"  {schedule.Length} decisions: {settings.AaDecisions} A/A and {settings.PerLevel} per slowdown level, interleaved; progress every 10");
        Console.WriteLine();

        var decisions = new List<DecisionResult>();
        using var csv = settings.Csv is { } csvPath ? new StreamWriter(csvPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) : null;
        csv?.WriteLine(DecisionResult.CsvHeader);
        var clock = Stopwatch.StartNew();
        var errors = 0;
        for (var i = 0; i < schedule.Length; i++)
        {
            if (clock.Elapsed > settings.MaxDuration)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  stopped after {i} of {schedule.Length} decisions: the time limit of {settings.MaxDuration!.Value.TotalMinutes:0} min was reached; the figures below cover the decisions made"));
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var level = schedule[i];
            var directory = Path.Combine(root, "d" + i.ToString("0000", CultureInfo.InvariantCulture));
            DecisionResult result;
            try
            {
                result = await DecideAsync(i + 1, level, work, target, scenario, profile, options, directory, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                errors++;
                Console.WriteLine($"  decision {i + 1} ({level.Label}) failed to run: {ex.GetType().Name}: {ex.Message}");
                if (errors > MaxErrors)
                {
                    throw new InvalidOperationException($"More than {MaxErrors} decisions failed to run; the last error is attached.", ex);
                }

                result = DecisionResult.Error(i + 1, level, ex.Message);
            }
            finally
            {
                work.Factor = 1.0;
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }

            decisions.Add(result);
            csv?.WriteLine(result.ToCsv());
            if ((i + 1) % 10 == 0 || i + 1 == schedule.Length)
            {
                csv?.Flush();
                Progress(decisions, schedule.Length, clock.Elapsed);
            }
        }

        Report(figures, decisions, clock.Elapsed);
    }

    private static async Task<DecisionResult> DecideAsync(int index, Level level, SlowableWork work, ILoadTarget target, Scenario scenario, LoadProfile profile, LoadOptions options, string directory, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var before = MachineCpuClock.Read();
        work.Factor = 1.0;
        var store = new BaselineStore(Path.Combine(directory, "baselines"), "pr");
        var baseline = await RunGatedAsync(BaselineMode.Update, target, scenario, profile, options, directory, cancellationToken);
        if (baseline.Failure is not null || baseline.Outcome is not { BaselineWritten: true })
        {
            throw new InvalidOperationException($"The baseline was not recorded: {baseline.Failure?.Message ?? string.Join("; ", baseline.Outcome?.Problems ?? [])}");
        }

        var recorded = store.Read(TestIdentity.From(Method, null))!.Scenarios.Single().Route(RouteName)!;
        var baselineTrials = recorded.TrialStatistics["p95"];

        var between = MachineCpuClock.Read();
        work.Factor = level.Factor;
        var current = await RunGatedAsync(BaselineMode.Compare, target, scenario, profile, options, directory, cancellationToken);
        work.Factor = 1.0;
        var after = MachineCpuClock.Read();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        var outcome = current.Outcome ?? throw new InvalidOperationException("The compare run produced no gate outcome.", current.Failure);
        var failed = current.Failure is not null;
        if (failed != outcome.Failed)
        {
            throw new InvalidOperationException($"The gate's outcome (failed: {outcome.Failed}) disagrees with the test result (exception: {current.Failure?.GetType().Name ?? "none"}).");
        }

        var comparison = outcome.Comparisons.SingleOrDefault(c => c.Route == RouteName && c.Statistic == "p95");
        var kind = outcome.Problems.Count > 0 || comparison is null ? VerdictKind.Error
            : comparison.Severity == CheckSeverity.Fail ? VerdictKind.Fail
            : comparison.Verdict switch
            {
                Verdict.Slower => VerdictKind.SlowerWarn,
                Verdict.Same => VerdictKind.Same,
                Verdict.Faster => VerdictKind.Faster,
                _ => VerdictKind.Inconclusive,
            };
        var currentTrials = comparison?.Current.ToArray() ?? [];
        return new DecisionResult(
            index,
            level,
            kind,
            failed,
            NaiveFailed: currentTrials.Length > 0 && currentTrials[0] / baselineTrials[0] > NaiveFailRatio,
            baselineTrials.ToArray(),
            currentTrials,
            comparison?.Ratio ?? double.NaN,
            comparison?.PValueSlower ?? double.NaN,
            Disturbed: comparison?.Reason.Contains("other processes held", StringComparison.Ordinal) == true,
            seconds,
            baseline.Report.Runtime?.MachineCpuAverage ?? double.NaN,
            current.Report.Runtime?.MachineCpuAverage ?? double.NaN,
            current.Report.Runtime?.CpuAverage ?? double.NaN,
            MachineCpuClock.OthersShare(before, between),
            MachineCpuClock.OthersShare(between, after),
            comparison?.Reason ?? string.Join("; ", outcome.Problems));
    }

    /// <summary>
    /// One gated test run, exactly as the attributes drive it: a session for the test, the load run, then the
    /// session's verdict (the results go beside the baselines, out of the repository).
    /// </summary>
    private static async Task<(GateOutcome? Outcome, PerfCheckException? Failure, LoadReport Report)> RunGatedAsync(BaselineMode mode, ILoadTarget target, Scenario scenario, LoadProfile profile, LoadOptions options, string directory, CancellationToken cancellationToken)
    {
        var settings = new PerfSettings { Mode = mode, BaselineDirectory = Path.Combine(directory, "baselines"), ResultsDirectory = Path.Combine(directory, "results") };
        using var session = PerfSession.Start(TestIdentity.From(Method), settings);
        var report = await Load.RunAsync(target, scenario, profile, options, cancellationToken);
        var verdict = await session.FinishAsync(cancellationToken);
        return (verdict.Details<GateOutcome>(), verdict.Passed ? null : new PerfCheckException(verdict), report);
    }

    private static void Progress(IReadOnlyList<DecisionResult> decisions, int planned, TimeSpan elapsed)
    {
        var parts = Levels.Select(level =>
        {
            var of = decisions.Where(d => d.Level == level).ToArray();
            return of.Length == 0 ? $"{level.Label} -" : $"{level.Label} fail {of.Count(d => d.Failed)}/{of.Length} inc {of.Count(d => d.Kind == VerdictKind.Inconclusive)} naive {of.Count(d => d.NaiveFailed)}";
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{decisions.Count,3}/{planned}] {elapsed.TotalSeconds,6:0} s, {elapsed.TotalSeconds / decisions.Count:0.0} s/decision · {string.Join(" · ", parts)}"));
    }

    private static void Report(Figures figures, IReadOnlyList<DecisionResult> decisions, TimeSpan elapsed)
    {
        Console.WriteLine();
        var quietLines = new List<string>();
        Console.WriteLine("  level   n   FAIL  warn  same  faster  inconcl(disturbed)  error  gate fail rate [95% CI]   inconcl rate [95% CI]   naive fail rate [95% CI]   first-trial p95 ratio p5/p50/p95   s/decision");
        foreach (var level in Levels)
        {
            var of = decisions.Where(d => d.Level == level).ToArray();
            if (of.Length == 0)
            {
                continue;
            }

            var fail = Rate.Of(of.Count(d => d.Failed), of.Length);
            var inconclusive = Rate.Of(of.Count(d => d.Kind == VerdictKind.Inconclusive), of.Length);
            var naive = Rate.Of(of.Count(d => d.NaiveFailed), of.Length);
            var ratios = of.Where(d => d.CurrentP95.Length > 0).Select(d => d.CurrentP95[0] / Stats.Median(d.BaselineP95)).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {level.Label,-5} {of.Length,4}  {Count(VerdictKind.Fail),4}  {Count(VerdictKind.SlowerWarn),4}  {Count(VerdictKind.Same),4}  {Count(VerdictKind.Faster),6}  {Count(VerdictKind.Inconclusive),4} ({of.Count(d => d.Disturbed),3})        {Count(VerdictKind.Error),4}   {fail,-24}  {inconclusive,-22}  {naive,-25}  {Percentiles(ratios),-33}  {MeanSeconds(of):0.0}"));

            var name = level.Factor == 1.0 ? "false_alarm_rate" : "detect_rate_" + level.Key;
            var naiveName = level.Factor == 1.0 ? "naive_false_alarm_rate" : "naive_detect_rate_" + level.Key;
            switch (level.Key)
            {
                case "aa":
                    figures.AddWithTarget(name, fail.Value, "0.0000", "<= 0.01", fail.Value <= 0.01);
                    break;
                case "30pct":
                    figures.AddWithTarget(name, fail.Value, "0.0000", ">= 0.95", fail.Value >= 0.95);
                    break;
                case "50pct":
                    figures.AddWithTarget(name, fail.Value, "0.0000", ">= 0.99", fail.Value >= 0.99);
                    break;
                default:
                    figures.Add(name, fail.Value, "0.0000");
                    break;
            }

            AddInterval(figures, name, fail);
            figures.Add("inconclusive_rate_" + level.Key, inconclusive.Value, "0.0000");
            AddInterval(figures, "inconclusive_rate_" + level.Key, inconclusive);
            figures.Add(naiveName, naive.Value, "0.0000");
            AddInterval(figures, naiveName, naive);
            figures.Add("decisions_" + level.Key, of.Length, "0");
            foreach (var kind in Enum.GetValues<VerdictKind>())
            {
                figures.Add($"count_{level.Key}_{Snake(kind)}", Count(kind), "0");
            }

            figures.Add("inconclusive_disturbed_" + level.Key, of.Count(d => d.Disturbed), "0");

            // The same rate over the decisions during which other processes used less than a quarter of the machine.
            var quiet = of.Where(d => Math.Max(d.BaselineOthersCpu, d.CurrentOthersCpu) < ContendedShare).ToArray();
            if (quiet.Length > 0)
            {
                var quietFail = Rate.Of(quiet.Count(d => d.Failed), quiet.Length);
                figures.Add(name + "_quiet", quietFail.Value, "0.0000");
                AddInterval(figures, name + "_quiet", quietFail);
                figures.Add("decisions_quiet_" + level.Key, quiet.Length, "0");
                quietLines.Add(string.Create(CultureInfo.InvariantCulture, $"  {level.Label,-5} gate fail rate {quietFail} · inconclusive {quiet.Count(d => d.Kind == VerdictKind.Inconclusive)} · naive fail {quiet.Count(d => d.NaiveFailed)}"));
            }
            if (ratios.Length > 0)
            {
                figures.Add("first_trial_p95_ratio_median_" + level.Key, Stats.Percentile(ratios, 50), "0.000");
            }

            figures.Add("seconds_per_decision_" + level.Key, MeanSeconds(of), "0.00");

            int Count(VerdictKind kind) => of.Count(d => d.Kind == kind);
        }

        if (quietLines.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"  only decisions during which other processes used < {ContendedShare:P0} of the machine (exact accounting):");
            quietLines.ForEach(Console.WriteLine);
        }

        var all = Rate.Of(decisions.Count(d => d.Kind == VerdictKind.Inconclusive), decisions.Count);
        figures.Add("inconclusive_rate", all.Value, "0.0000");
        AddInterval(figures, "inconclusive_rate", all);

        // The noise the gate decides against: how much the p95 of 0.5 s trials moves within one baseline, and how
        // far an unchanged current run's first trial lands from its baseline's median.
        var spread = decisions.Where(d => d.BaselineP95.Length > 1).Select(d => (d.BaselineP95.Max() / d.BaselineP95.Min()) - 1).Order().ToArray();
        var cv = decisions.Where(d => d.BaselineP95.Length > 1).Select(d => StandardDeviation(d.BaselineP95) / d.BaselineP95.Average()).Order().ToArray();
        if (spread.Length > 0)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  trial-to-trial p95 within a baseline (5 trials): coefficient of variation median {Stats.Percentile(cv, 50):P1}, p90 {Stats.Percentile(cv, 90):P1}; max/min − 1 median {Stats.Percentile(spread, 50):P1}, p90 {Stats.Percentile(spread, 90):P1}, max {spread[^1]:P1}"));
            figures.Add("baseline_trial_p95_cv_median", Stats.Percentile(cv, 50), "0.0000");
            figures.Add("baseline_trial_p95_cv_p90", Stats.Percentile(cv, 90), "0.0000");
            figures.Add("baseline_trial_p95_spread_median", Stats.Percentile(spread, 50), "0.0000");
            figures.Add("baseline_trial_p95_spread_p90", Stats.Percentile(spread, 90), "0.0000");
        }

        var aa = decisions.Where(d => d.Level.Factor == 1.0 && d.CurrentP95.Length > 0).ToArray();
        if (aa.Length > 0)
        {
            var naiveRatios = aa.Select(d => d.CurrentP95[0] / d.BaselineP95[0]).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  A/A first current trial ÷ first baseline trial (what the naive rule sees): p5/p50/p95 {Percentiles(naiveRatios)}, max {naiveRatios[^1]:0.000}"));
            figures.Add("aa_naive_ratio_p95", Stats.Percentile(naiveRatios, 95), "0.000");
            figures.Add("aa_naive_ratio_max", naiveRatios[^1], "0.000");
            var confirmed = aa.Count(d => d.CurrentP95.Length > 1);
            Console.WriteLine($"  A/A decisions that ran confirmation trials: {confirmed} of {aa.Length}");
            figures.Add("aa_confirmation_rate", (double)confirmed / aa.Length, "0.0000");
        }

        var machine = decisions.Where(d => double.IsFinite(d.CurrentMachineCpu)).Select(d => d.CurrentMachineCpu).Order().ToArray();
        var own = decisions.Where(d => double.IsFinite(d.CurrentProcessCpu)).Select(d => d.CurrentProcessCpu).Order().ToArray();
        if (machine.Length > 0 && own.Length > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  CPU during current runs (share of all cores): this process median {Stats.Percentile(own, 50):P0}; whole machine as the library reads it (/proc/stat) median {Stats.Percentile(machine, 50):P0}, p90 {Stats.Percentile(machine, 90):P0}, max {machine[^1]:P0}"));
            figures.Add("current_process_cpu_median", Stats.Percentile(own, 50), "0.000");
            figures.Add("current_machine_cpu_median", Stats.Percentile(machine, 50), "0.000");
            figures.Add("current_machine_cpu_p90", Stats.Percentile(machine, 90), "0.000");
        }

        // Other processes' CPU from exact scheduler accounting: how disturbed each decision really was.
        var others = decisions.Select(d => Math.Max(d.BaselineOthersCpu, d.CurrentOthersCpu)).Where(double.IsFinite).Order().ToArray();
        if (others.Length > 0)
        {
            var contended = decisions.Count(d => Math.Max(d.BaselineOthersCpu, d.CurrentOthersCpu) >= ContendedShare);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  other processes' CPU (exact, cgroup accounting; the larger of baseline and current run): median {Stats.Percentile(others, 50):P0}, p90 {Stats.Percentile(others, 90):P0}, max {others[^1]:P0}; decisions with ≥ {ContendedShare:P0}: {contended} of {decisions.Count}"));
            figures.Add("others_cpu_median", Stats.Percentile(others, 50), "0.000");
            figures.Add("others_cpu_p90", Stats.Percentile(others, 90), "0.000");
            figures.Add("contended_decisions", contended, "0");
            foreach (var kind in Enum.GetValues<VerdictKind>())
            {
                var of = decisions.Where(d => d.Kind == kind && double.IsFinite(d.CurrentOthersCpu)).ToArray();
                if (of.Length > 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {kind,-12} {of.Length,4} decisions: other processes' CPU median {Stats.Median(of.Select(d => Math.Max(d.BaselineOthersCpu, d.CurrentOthersCpu)).ToArray()):P0}, ≥ {ContendedShare:P0} in {of.Count(d => Math.Max(d.BaselineOthersCpu, d.CurrentOthersCpu) >= ContendedShare)}"));
                }
            }
        }

        Console.WriteLine();
        var perDecision = decisions.Count == 0 ? double.NaN : elapsed.TotalSeconds / decisions.Count;
        figures.Add("gate_decisions", decisions.Count, "0");
        figures.AddWithTarget("seconds_per_decision", perDecision, "0.00", "<= 15", perDecision <= 15);
        figures.Add("seconds_per_decision_max", decisions.Select(d => d.Seconds).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max(), "0.00");
    }

    private static double MeanSeconds(IEnumerable<DecisionResult> decisions)
        => decisions.Select(d => d.Seconds).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();

    private static void AddInterval(Figures figures, string name, Rate rate)
    {
        figures.Add(name + "_lower95", rate.Lower, "0.0000");
        figures.Add(name + "_upper95", rate.Upper, "0.0000");
    }

    private static string Percentiles(double[] sorted)
        => sorted.Length == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Stats.Percentile(sorted, 5):0.000} / {Stats.Percentile(sorted, 50):0.000} / {Stats.Percentile(sorted, 95):0.000}");

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static string Snake(VerdictKind kind) => kind switch
    {
        VerdictKind.SlowerWarn => "slower_warn",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Describe(GatePolicy policy) => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(",", policy.Statistics)}, warn +{policy.WarnMargin:P0}, fail +{policy.FailMargin:P0}, {policy.Trials} trials, α {policy.Alpha}");

    private static Settings Parse(IReadOnlyList<string> options)
    {
        var settings = new Settings();
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i];
            if (option == "--cross-process")
            {
                settings = settings with { CrossProcess = true };
                continue;
            }

            var value = i + 1 < options.Count ? options[++i] : throw new SuiteOptionsException($"option '{option}' needs a value");
            settings = option switch
            {
                "--decisions" => settings with { AaDecisions = Number(option, value, 1, 100_000) },
                "--per-level" => settings with { PerLevel = Number(option, value, 0, 100_000) },
                "--rounds" => settings with { Rounds = Number(option, value, 2, 10_000) },
                "--baseline-processes" => settings with { BaselineProcesses = Number(option, value, 1, 20) },
                "--rounds-per-baseline" => settings with { RoundsPerBaseline = Number(option, value, 1, 10_000) },
                "--max-minutes" => settings with { MaxDuration = TimeSpan.FromMinutes(Number(option, value, 1, 24 * 60)) },
                "--csv" => settings with { Csv = Path.GetFullPath(value) },
                _ => throw new SuiteOptionsException($"unknown option '{option}' for the gate suite"),
            };
        }

        return settings;

        static int Number(string option, string text, int min, int max)
            => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new SuiteOptionsException($"option '{option}' needs a whole number from {min} to {max}, not '{text}'");
    }

    private sealed record Settings
    {
        public int AaDecisions { get; init; } = 200;

        public int PerLevel { get; init; } = 60;

        /// <summary>The time limit; <see langword="null"/> for each mode's default (60 min in process, 23 across processes).</summary>
        public TimeSpan? MaxDuration { get; init; }

        public bool CrossProcess { get; init; }

        public int Rounds { get; init; } = 24;

        /// <summary>Processes that record each set of baselines, one after another (the first updates, the others extend).</summary>
        public int BaselineProcesses { get; init; } = 3;

        /// <summary>Comparing processes (rounds) per set of baselines.</summary>
        public int RoundsPerBaseline { get; init; } = 4;

        public string? Csv { get; init; }
    }

    private sealed record Level(string Key, string Label, double Factor);

    private enum VerdictKind
    {
        Fail,
        SlowerWarn,
        Same,
        Faster,
        Inconclusive,
        Error,
    }

    private sealed record DecisionResult(
        int Index,
        Level Level,
        VerdictKind Kind,
        bool Failed,
        bool NaiveFailed,
        double[] BaselineP95,
        double[] CurrentP95,
        double Ratio,
        double PValueSlower,
        bool Disturbed,
        double Seconds,
        double BaselineMachineCpu,
        double CurrentMachineCpu,
        double CurrentProcessCpu,
        double BaselineOthersCpu,
        double CurrentOthersCpu,
        string Reason)
    {
        public const string CsvHeader = "index,level,factor,verdict,failed,naive_failed,baseline_p95_ms,current_p95_ms,ratio,p_slower,disturbed,seconds,baseline_machine_cpu,current_machine_cpu,current_process_cpu,baseline_others_cpu,current_others_cpu,reason";

        public static DecisionResult Error(int index, Level level, string message)
            => new(index, level, VerdictKind.Error, false, false, [], [], double.NaN, double.NaN, false, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, message);

        public string ToCsv() => string.Join(",", [
            Index.ToString(CultureInfo.InvariantCulture),
            Level.Key,
            Level.Factor.ToString("0.0", CultureInfo.InvariantCulture),
            Kind.ToString(),
            Failed ? "1" : "0",
            NaiveFailed ? "1" : "0",
            string.Join(";", BaselineP95.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture))),
            string.Join(";", CurrentP95.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture))),
            Ratio.ToString("0.0000", CultureInfo.InvariantCulture),
            PValueSlower.ToString("0.#####", CultureInfo.InvariantCulture),
            Disturbed ? "1" : "0",
            Seconds.ToString("0.00", CultureInfo.InvariantCulture),
            BaselineMachineCpu.ToString("0.000", CultureInfo.InvariantCulture),
            CurrentMachineCpu.ToString("0.000", CultureInfo.InvariantCulture),
            CurrentProcessCpu.ToString("0.000", CultureInfo.InvariantCulture),
            BaselineOthersCpu.ToString("0.000", CultureInfo.InvariantCulture),
            CurrentOthersCpu.ToString("0.000", CultureInfo.InvariantCulture),
            "\"" + Reason.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        ]);
    }

    /// <summary>
    /// The API's work, scaled by <see cref="Factor"/>: CPU (SHA-256 rounds over 4 KB) and an I/O-like wait from a
    /// seeded lognormal. Timers have whole-millisecond resolution, so both the round count and the wait are
    /// rounded up or down at random in proportion to their fraction: the scaled amounts are right on average.
    /// </summary>
    private sealed class SlowableWork
    {
        private readonly byte[] _payload = new byte[4096];
        private readonly double[] _waitsMs;
        private readonly double[] _uniform;
        private long _next = -1;
        private double _factor = 1.0;

        public SlowableWork(int seed)
        {
            var random = new Random(seed);
            random.NextBytes(_payload);
            _waitsMs = new double[1 << 16];
            _uniform = new double[1 << 16];
            for (var i = 0; i < _waitsMs.Length; i++)
            {
                var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                _waitsMs[i] = WaitMedianMs * Math.Exp(WaitSigma * normal);
                _uniform[i] = random.NextDouble();
            }
        }

        public double Factor
        {
            get => Volatile.Read(ref _factor);
            set => Volatile.Write(ref _factor, value);
        }

        public async Task<IResult> HandleAsync(CancellationToken cancellationToken)
        {
            var factor = Factor;
            var i = (int)(Interlocked.Increment(ref _next) & (_waitsMs.Length - 1));
            Hash(RoundRandomly(HashRounds * factor, _uniform[i]));
            await Task.Delay(TimeSpan.FromMilliseconds(RoundRandomly(_waitsMs[i] * factor, _uniform[(i + 1) & (_uniform.Length - 1)])), cancellationToken);
            return Results.Text("ok");
        }

        public double MeasureCpuMilliseconds()
        {
            Hash(HashRounds);
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < 20; i++)
            {
                Hash(HashRounds);
            }

            return Stopwatch.GetElapsedTime(start).TotalMilliseconds / 20;
        }

        private void Hash(int rounds)
        {
            Span<byte> hash = stackalloc byte[32];
            for (var r = 0; r < rounds; r++)
            {
                SHA256.HashData(_payload, hash);
            }
        }

        private static int RoundRandomly(double value, double uniform)
        {
            var whole = Math.Floor(value);
            return (int)whole + (uniform < value - whole ? 1 : 0);
        }
    }
}
