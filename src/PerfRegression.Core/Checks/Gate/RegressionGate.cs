using System.Globalization;
using PerfRegression.Checks;
using PerfRegression.Engine;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// The relative check of one test against its committed baseline. It decides how many trials each
/// load run needs (one when the first looks like the baseline, the policy's count to confirm a change
/// or to record a baseline), compares trial statistics with <see cref="RegressionComparer"/>, and at
/// the end, after every other check, writes the baseline or a received file, only as the mode allows:
/// a run that fails any check never becomes a baseline.
/// </summary>
internal sealed class RegressionGate : IPerfCheck, ILoadRunListener
{
    /// <summary>The largest speed ratio between two machines the environment policy normalises; beyond it the baseline is not comparable.</summary>
    private const double MaxCalibrationRatio = 4;

    private readonly TestIdentity _test;
    private readonly BaselineStore _store;
    private readonly PerfSettings _settings;
    private readonly EnvironmentFingerprint _environment;
    private readonly Lazy<(BaselineFile? File, string? Problem)> _baseline;
    private readonly Dictionary<string, IReadOnlyList<LoadReport>> _trials = new(StringComparer.Ordinal);
    private readonly List<StatisticComparison> _comparisons = [];
    private readonly List<string> _problems = [];
    private readonly List<string> _notes = [];
    private readonly bool _comparisonOnly;
    private bool _environmentNoted;
    private double? _machineSlowdown;
    private Dictionary<string, SpreadPrior>? _priors;

    /// <summary>The most readings of the calibration workload a comparison takes to tell whether the machine is slower now.</summary>
    private const int CalibrationReadings = 10;

    public RegressionGate(TestIdentity test, GatePolicy policy, PerfSettings settings, BaselineStore store, EnvironmentFingerprint environment)
        : this(test, policy, settings, store, environment, baseline: null)
    {
    }

    /// <summary>A gate that compares with <paramref name="baseline"/> when given (and then writes no file), else with the store's.</summary>
    private RegressionGate(TestIdentity test, GatePolicy policy, PerfSettings settings, BaselineStore store, EnvironmentFingerprint environment, BaselineFile? baseline)
    {
        _test = test;
        Policy = policy;
        _settings = settings;
        _store = store;
        _environment = environment;
        _comparisonOnly = baseline is not null;
        _baseline = baseline is null ? new(LoadBaseline) : new((baseline, null));
    }

    public GatePolicy Policy { get; }

    /// <summary>
    /// Names the test's budget that the trials so far broke (<c>p95 budget on route 'work'</c>), or <see langword="null"/>;
    /// read before each further trial, since none is spent on a run whose budgets already broke. The session sets it.
    /// </summary>
    public Func<IReadOnlyList<LoadReport>, string?> BrokenBudget { get; set; } = _ => null;

    /// <summary>
    /// How the code this test measured was built (<see cref="EnvironmentFingerprint.Build"/>), or <see langword="null"/>
    /// when unknown; a recorded baseline keeps it. The session sets it.
    /// </summary>
    public Func<string?> MeasuredBuild { get; set; } = () => null;

    /// <summary>The gate of <paramref name="test"/> under <paramref name="settings"/>: its baselines where the settings say, its environment this process's.</summary>
    /// <exception cref="PerfConfigurationException">No repository root holds the baselines; the message says what to set.</exception>
    public static RegressionGate For(TestIdentity test, GatePolicy policy, PerfSettings settings)
        => new(test, policy, settings, new BaselineStore(settings.BaselineDirectoryFor(test.Directory), settings.Profile), EnvironmentFingerprint.Current(test.Assembly));

    public string BaselinePath => _store.PathOf(_test);

    /// <summary>Decided after every other check: whether they passed decides whether this run may become a baseline.</summary>
    public bool DecidesLast => true;

    public ITrialPlanner RunStarting(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Begin(scenario.Name);
        return new Planner(this, scenario.Name);
    }

    public void RunCompleted(Scenario scenario, IReadOnlyList<LoadReport> trials)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Complete(scenario.Name, trials);
    }

    public ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_trials.Count == 0 && context.MeasuredWithoutLoad && _problems.Count == 0)
        {
            // Capacity searches and micro-benchmarks are compared with their own baselines by their checks; there is no load run here to compare.
            return ValueTask.FromResult(new CheckResult
            {
                Title = $"Baseline ({_settings.Profile} profile, {_settings.Mode.ToString().ToLowerInvariant()} mode)",
                Severity = CheckSeverity.Pass,
                Body = [new TextBlock([$"no load run to compare: the test measured {(context.Capacities.Count > 0 ? "a capacity search" : "micro-benchmarks")}, compared with {(context.Capacities.Count > 0 ? "its capacity baseline in the Capacity section" : "their baseline in the Micro-benchmarks section")}."])],
            });
        }

        if (_trials.Count == 0)
        {
            AddOnce(_problems, context.NoLoadProblem() ?? "The regression gate saw no load run of this test, so there is nothing to compare with the baseline. Run load in the test body with Load.RunAsync(...).");
        }

        return ValueTask.FromResult(Finish(context.EarlierChecksPassed).ToCheckResult());
    }

    private BaselineFile? Baseline => _baseline.Value.File;

    /// <summary>Refuses a second run of the same scenario in one test: its baseline would be ambiguous.</summary>
    public void Begin(string scenario)
    {
        if (_trials.ContainsKey(scenario))
        {
            throw new PerfConfigurationException(
                $"Scenario '{scenario}' ran twice in {_test.FullName}. Each load run of a test is compared with its own baseline by scenario name; give each run a distinct Scenario.Create(name).");
        }
    }

    /// <summary>
    /// Whether the run of <paramref name="scenario"/> needs another trial, given the trials so far. None is spent on a run
    /// whose budgets already broke: that fails the test, the trials would only serve the comparison, and a failing run
    /// never becomes a baseline.
    /// </summary>
    public bool WantsAnotherTrial(string scenario, IReadOnlyList<LoadReport> trials)
    {
        if (!GateWantsAnotherTrial(scenario, trials))
        {
            return false;
        }

        if (BrokenBudget(trials) is not { } broken)
        {
            return true;
        }

        var recording = Records || Baseline?.Scenario(scenario) is null;
        AddOnce(_notes, $"No more trials of scenario '{scenario}': its {broken} broke "
            + $"after {(trials.Count == 1 ? "the first trial" : $"{trials.Count} trials")}, which fails the test; more trials would only serve the baseline comparison, and a failing run {(recording ? "is never recorded as a baseline" : "is not compared further")}.");
        return false;
    }

    private bool GateWantsAnotherTrial(string scenario, IReadOnlyList<LoadReport> trials)
    {
        var last = trials[^1];
        if (!last.RecordedLoad || _baseline.Value.Problem is not null)
        {
            return false;
        }

        var recording = Records || Baseline?.Scenario(scenario) is null;
        if (recording)
        {
            return trials.Count < Policy.Trials;
        }

        var (factor, compare) = EnvironmentFactor();
        if (!compare)
        {
            return false;
        }

        if (trials.Count > 1)
        {
            return trials.Count < Policy.Trials || (trials.Count < 2 * Policy.Trials && (RemeasureWhenQuiet(scenario, trials, factor) || CostUndecided(scenario, trials, factor)));
        }

        var baseline = Baseline!.Scenario(scenario)!;
        foreach (var route in baseline.Routes)
        {
            if (!last.TryGetRoute(route.Name, out var current) || current.Successes == 0)
            {
                continue;
            }

            foreach (var statistic in Policy.Statistics)
            {
                var values = Scaled(route, statistic, factor);
                if (RegressionComparer.NeedsConfirmation(statistic, values, ScenarioBaseline.Statistic(current, statistic), Policy))
                {
                    return true;
                }
            }
        }

        foreach (var cost in ComparedCosts(baseline))
        {
            if (cost.Read(last) is { } value && double.IsFinite(value)
                && (RegressionComparer.NeedsConfirmation(cost.Name, ScaledCost(baseline, cost, factor), value, Policy)
                    || (ProcessShiftDown(cost, factor) is { } shift && RegressionComparer.NeedsConfirmation(cost.Name, ScaledCost(baseline, cost, factor * shift.Common), value, Policy))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Bounded re-measuring: when other processes disturbed some of the trials and a route's latency still looks worse
    /// than its baseline, more trials run (up to twice <see cref="GatePolicy.Trials"/> in all), until as many were
    /// measured on a quiet machine; the latency comparison then uses those alone. A machine busy throughout still ends
    /// Inconclusive.
    /// </summary>
    private bool RemeasureWhenQuiet(string scenario, IReadOnlyList<LoadReport> trials, double factor)
    {
        var quiet = QuietTrials(trials);
        if (quiet.Length >= Policy.Trials || quiet.Length == trials.Count)
        {
            return false;
        }

        var baseline = Baseline!.Scenario(scenario)!;
        return baseline.Routes.Any(route => Policy.Statistics.Any(statistic =>
        {
            var current = trials.Select(t => t.TryGetRoute(route.Name, out var r) && r.Successes > 0 ? ScenarioBaseline.Statistic(r, statistic) : double.NaN).Where(double.IsFinite).ToArray();
            var values = Scaled(route, statistic, factor);
            return current.Length > 0 && values.Length > 0 && RegressionComparer.Median(current) > RegressionComparer.Median(values) * (1 + Policy.WarnMargin);
        }));
    }

    /// <summary>
    /// Whether a cost per request is still undecided after the policy's trials (its estimate beyond the warn margin,
    /// the trials overlapping): more trials, up to twice the policy's, give the test the power to decide it.
    /// </summary>
    private bool CostUndecided(string scenario, IReadOnlyList<LoadReport> trials, double factor)
    {
        var baseline = Baseline!.Scenario(scenario)!;
        if (Policy.Costs.Count == 0 || baseline.Costs.Count == 0 || trials.Any(t => t.Runtime?.OtherTestsInProcess == true))
        {
            return false;
        }

        return ComparedCosts(baseline).Any(cost =>
        {
            var current = trials.Select(cost.Read).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToArray();
            return current.Length > 1 && (Undecided(factor) || (ProcessShiftDown(cost, factor) is { } shift && Undecided(factor * shift.Common)));

            bool Undecided(double scale) => RegressionComparer.Compare(string.Empty, cost.Name, ScaledCost(baseline, cost, scale), current, 0, 0, Policy, baseline.RunSizes, prior: Prior(cost.Name)) is { Severity: CheckSeverity.Inconclusive, AcrossProcesses: false };
        });
    }

    /// <summary>
    /// A latency or CPU failure on a machine that runs the calibration workload more than the warn margin slower than
    /// when the baseline was recorded is the machine's doing, as far as the gate can tell: a virtual machine throttled by
    /// its host after sustained load is slower in wall time and in the CPU time it accounts, and the guest sees no other
    /// process (a CI run right after a 24-minute benchmark failed three unchanged tests on CPU +25% to +76% and p95 ×2
    /// to ×7.6). CPU per request is excused up to the slowdown times the fail margin; latency, which queueing amplifies
    /// near saturation, whatever it is. Allocations and database operations are not touched. Only for a baseline of
    /// this environment recorded by another process (another environment is normalised instead); the workload runs
    /// once per test, and only when such a failure needs it.
    /// </summary>
    private StatisticComparison SlowerMachine(StatisticComparison comparison, double factor)
    {
        var kind = GateStatistic.Of(comparison.Statistic);
        if (comparison.Severity != CheckSeverity.Fail || (!kind.IsLatency && !kind.IsCpu) || !BaselineFromAnotherProcess(factor) || Baseline is not { } recorded)
        {
            return comparison;
        }

        _machineSlowdown ??= MachineSlowdown(recorded.CalibrationMilliseconds);
        var slower = _machineSlowdown.Value;
        if (slower <= 1 + Policy.WarnMargin || (kind.IsCpu && comparison.Ratio > slower * (1 + Policy.FailMargin)))
        {
            return comparison;
        }

        return comparison with
        {
            Verdict = Verdict.Inconclusive,
            Severity = CheckSeverity.Inconclusive,
            Reason = $"{comparison.Reason}; but this machine runs the calibration workload {Formatting.SignedPercent(slower - 1)} slower now than when the baseline was recorded ({Formatting.Milliseconds(slower * recorded.CalibrationMilliseconds)} against {Formatting.Milliseconds(recorded.CalibrationMilliseconds)}), "
                + (kind.IsCpu ? $"which explains up to {Formatting.SignedPercent((slower * (1 + Policy.FailMargin)) - 1)}" : "and latency grows faster than the machine slows")
                + ", so this is not evidence of a regression. Re-run when the machine runs at its usual speed",
        };
    }

    /// <summary>
    /// How much slower than <paramref name="recorded"/> this machine runs the calibration workload now: the fastest of up
    /// to <see cref="CalibrationReadings"/> readings, stopping at the first within the warn margin. The process's own
    /// work goes on for a few hundred milliseconds after the load (requests finishing, the JIT's background
    /// compilations, a collection): right after a route of 16 users the workload read 30, 20 and then 14.6 ms against
    /// 14 ms at the process's start (another time 19.7, 17.3, 15.0, 15.3, then 13.7 ms: half a second), and a single
    /// reading excused every regression of the cross-process benchmark's waiting route. A machine that is really slower
    /// is slower in every reading; up to ten take about a second, only when a failure needs them.
    /// </summary>
    private double MachineSlowdown(double recorded)
    {
        var fastest = double.MaxValue;
        for (var i = 0; i < CalibrationReadings && fastest > recorded * (1 + Policy.WarnMargin); i++)
        {
            fastest = Math.Min(fastest, Calibration.MeasureNow());
        }

        return fastest / recorded;
    }

    /// <summary>
    /// The spread between processes of <paramref name="statistic"/> in the other baselines of this folder recorded by
    /// several processes on this environment (only for a baseline that was itself, so a single-process baseline is
    /// not judged by others' runs); null when none.
    /// </summary>
    private SpreadPrior? Prior(string statistic)
    {
        if (_comparisonOnly || Baseline is not { } own || own.Scenarios.All(s => s.RunSizes.Count < 2))
        {
            return null;
        }

        _priors ??= _store.ReadSiblings(_test)
            .Where(file => file.Environment is { } environment && _environment.DifferencesFrom(environment).Count == 0)
            .SelectMany(file => file.Scenarios)
            .SelectMany(scenario => scenario.Routes.SelectMany(route => route.TrialStatistics.Select(s => (Statistic: s.Key, Values: (IReadOnlyList<double>)s.Value, scenario.RunSizes)))
                .Concat(scenario.Costs.Select(c => (Statistic: c.Key, Values: (IReadOnlyList<double>)c.Value, scenario.RunSizes))))
            .GroupBy(series => series.Statistic, StringComparer.Ordinal)
            .Select(group => (group.Key, Prior: SpreadPrior.Pool(group.Select(series => (series.Values, series.RunSizes)))))
            .Where(pooled => pooled.Prior is not null)
            .ToDictionary(pooled => pooled.Key, pooled => pooled.Prior!, StringComparer.Ordinal);
        return _priors.TryGetValue(statistic, out var prior) ? prior : null;
    }

    /// <summary>Whether the baseline was recorded by another process on this environment (not normalised from another machine).</summary>
    private bool BaselineFromAnotherProcess(double factor)
        => factor == 1 && Baseline is { CalibrationMilliseconds: > 0 } recorded && recorded.CalibrationMilliseconds != Math.Round(Calibration.Milliseconds, 3);

    /// <summary>
    /// A latency or CPU failure within the fail margin of what the other tests of this process moved (at least
    /// <see cref="ProcessDrift.MinimumTests"/> of them, compared with baselines of other processes, their median
    /// beyond the warn margin) is the process's shift, not this route's: the machine, or code every test shares,
    /// runs slower than when the baselines were recorded, and only base and head run in one job can tell which.
    /// </summary>
    private StatisticComparison CommonShift(StatisticComparison comparison, double factor)
    {
        var kind = GateStatistic.Of(comparison.Statistic);
        if (comparison.Severity != CheckSeverity.Fail || (!kind.IsLatency && !kind.IsCpu) || !BaselineFromAnotherProcess(factor))
        {
            return comparison;
        }

        var others = ProcessDrift.Others(DriftFolder, _test.FullName, comparison.Statistic);
        if (others.Count < ProcessDrift.MinimumTests)
        {
            return comparison;
        }

        var common = Median(others.Select(o => o.Ratio).ToArray());
        if (common <= 1 + Policy.WarnMargin || comparison.Ratio > common * (1 + Policy.FailMargin))
        {
            return comparison;
        }

        var direction = kind.IsCpu ? "higher" : "slower";
        return comparison with
        {
            Verdict = Verdict.Inconclusive,
            Severity = CheckSeverity.Inconclusive,
            AcrossProcesses = true,
            Reason = $"{comparison.Reason}; but {new ProcessShift(common, others).Describe(comparison.Statistic)}, so this route is {Formatting.SignedPercent((comparison.Ratio / common) - 1)} beyond them, within the fail margin: "
                + $"the machine, or code every test shares, runs {direction} than when the baselines were recorded. Compare base and head in one job (dotnet perf ab) to tell which",
        };
    }

    /// <summary>
    /// The process's downward shift of CPU per request, when the other tests of this process (at least
    /// <see cref="ProcessDrift.MinimumTests"/>, compared with baselines of other processes in this folder) measured
    /// less than their baselines, most of them within the warn margin of their median: then this route is measured
    /// against its baseline scaled by that median, so that a baseline recorded by a process that ran every route dearer
    /// does not hide a regression. The routes of one process agree on such a shift within a few percent (three CPU-bound
    /// routes measured 2.80, 2.78 and 2.81 ms per request in one process and 3.07, 3.01 and 3.06 ms in another), so the
    /// ratio of two routes cancels it on both sides. Null when the shift is not down or not shared.
    /// </summary>
    private ProcessShift? ProcessShiftDown(GateStatistic cost, double factor)
    {
        if (cost != GateStatistic.Cpu || !BaselineFromAnotherProcess(factor))
        {
            return null;
        }

        var others = ProcessDrift.Others(DriftFolder, _test.FullName, cost.Name);
        if (others.Count < ProcessDrift.MinimumTests)
        {
            return null;
        }

        var common = Median(others.Select(o => o.Ratio).ToArray());
        var agreeing = others.Count(o => Math.Abs(Math.Log(o.Ratio / common)) <= Math.Log(1 + Policy.WarnMargin));
        return common < 1 && 2 * agreeing > others.Count ? new ProcessShift(common, others) : null;
    }

    /// <summary>The median ratio of the other tests of this process, and theirs.</summary>
    private sealed record ProcessShift(double Common, IReadOnlyList<(string Test, double Ratio)> Others)
    {
        public string Describe(string statistic)
            => $"the {Formatting.Plural(Others.Count, "other test", "other tests")} of this process measured {statistic} {Formatting.SignedPercent(Common - 1)} against their baselines (median; "
                + string.Join(", ", Others.Select(o => $"{Formatting.ClassAndMethod(o.Test)} {Formatting.SignedPercent(o.Ratio - 1)}")) + ")";
    }

    /// <summary>Leaves this test's shift for the tests after it (only against a baseline of another process on this environment).</summary>
    private void RecordDrift(double factor, IReadOnlyList<int>? runs)
    {
        if (runs is not null || !BaselineFromAnotherProcess(factor))
        {
            return;
        }

        // Only routes large enough for a change of the fail margin to reach the statistic's floor: a 3 ms route's p95
        // moves by half between processes without failing anything, and said nothing of a 33 ms route's +26%.
        foreach (var statistic in _comparisons.Where(Gateable).GroupBy(c => c.Statistic).Where(g => GateStatistic.Of(g.Key) is { } kind && (kind.IsLatency || kind.IsCpu)))
        {
            ProcessDrift.Record(DriftFolder, _test.FullName, statistic.Key, Median(statistic.Select(c => c.Ratio).Where(double.IsFinite).ToArray()));
        }

        bool Gateable(StatisticComparison c)
            => c.Baseline.Count > 0 && Median(c.Baseline.ToArray()) * Policy.FailMargin >= RegressionComparer.Floor(GateStatistic.Of(c.Statistic), Policy);
    }

    private string DriftFolder => Path.GetDirectoryName(BaselinePath) ?? _store.Directory;


    /// <summary>How many of each run's trials <paramref name="kept"/> holds (the runs of the quiet trials), or null without runs.</summary>
    private static int[]? KeptRuns(IReadOnlyList<LoadReport> trials, IReadOnlyList<int>? runs, IReadOnlyList<LoadReport> kept)
    {
        if (runs is null || runs.Sum() != trials.Count)
        {
            return null;
        }

        var keep = kept.ToHashSet(ReferenceEqualityComparer.Instance);
        var sizes = new int[runs.Count];
        var start = 0;
        for (var i = 0; i < runs.Count; i++)
        {
            sizes[i] = trials.Skip(start).Take(runs[i]).Count(keep.Contains);
            start += runs[i];
        }

        return sizes;
    }

    /// <summary>The trials no other process disturbed.</summary>
    private static LoadReport[] QuietTrials(IReadOnlyList<LoadReport> trials)
        => trials.Where(t => t.Runtime?.DisturbedByOtherProcesses != true).ToArray();

    /// <summary>The costs the policy compares that the baseline has figures for.</summary>
    private IEnumerable<GateStatistic> ComparedCosts(ScenarioBaseline baseline)
        => Policy.Costs.Where(baseline.Costs.ContainsKey).Select(GateStatistic.Of);

    /// <summary>A cost's baseline values per trial; CPU time scales with the machine as latency does, counts and bytes do not.</summary>
    private static double[] ScaledCost(ScenarioBaseline baseline, GateStatistic cost, double factor)
        => baseline.Costs[cost.Name].Select(v => cost == GateStatistic.Cpu || cost == GateStatistic.ServerCpu ? v * factor : v).ToArray();

    /// <summary>Compares the run's costs per request with the baseline's, trial against trial.</summary>
    private void CompareCosts(string scenario, ScenarioBaseline baseline, IReadOnlyList<LoadReport> trials, LoadReport merged, double factor, IReadOnlyList<int>? runs)
    {
        if (Policy.Costs.Count == 0)
        {
            return;
        }

        if (baseline.Costs.Count == 0)
        {
            if (trials.All(t => t.Resources is null))
            {
                return; // neither side measured costs (e.g. runs on an injected clock)
            }

            AddOnce(_notes, $"The baseline {BaselinePath} predates costs per request (CPU, allocations, database operations), so only latency was compared. Record it again (PERF_BASELINE=update) to gate on them as well.");
            return;
        }

        if (trials.Any(t => t.Runtime?.OtherTestsInProcess == true))
        {
            AddOnce(_notes, $"Costs per request of scenario '{scenario}' were not compared: another performance test ran in this process during the measurement, and its work counts in this process's CPU time and allocations. Run performance tests one at a time (see the warning).");
            return;
        }

        // A scenario of one step gives its route's cost; with several, the average over the scenario's requests.
        var subject = merged.Routes.Count == 1 ? merged.Routes[0].Name : $"scenario '{scenario}'";
        var baselineRequests = baseline.Routes.Sum(r => r.Count);
        foreach (var cost in ComparedCosts(baseline))
        {
            var current = trials.Select(cost.Read).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToArray();
            if (current.Length == 0)
            {
                AddOnce(_notes, $"The baseline has {cost.Label} for scenario '{scenario}', but this run did not measure it{(cost == GateStatistic.Database ? " (no database client in this process reported its operations)" : string.Empty)}; it was not compared.");
                continue;
            }

            var comparison = RegressionComparer.Compare(subject, cost.Name, ScaledCost(baseline, cost, factor), current, baselineRequests, merged.Overall.Count, Policy, baseline.RunSizes, current.Length == trials.Count ? runs : null, Prior(cost.Name));
            if (comparison.Severity != CheckSeverity.Fail && runs is null && ProcessShiftDown(cost, factor) is { } shift)
            {
                var relative = RegressionComparer.Compare(subject, cost.Name, ScaledCost(baseline, cost, factor * shift.Common), current, baselineRequests, merged.Overall.Count, Policy, baseline.RunSizes, prior: Prior(cost.Name));
                if (relative.Severity == CheckSeverity.Fail)
                {
                    comparison = relative with { Reason = $"{relative.Reason}, measured against the baseline × {Formatting.Number(shift.Common, "0.###")}: {shift.Describe(cost.Name)}, so this route's {cost.Name} grew by {Formatting.SignedPercent(relative.Ratio - 1)} beyond the process's shift (against its own baseline alone, {Formatting.SignedPercent(comparison.Ratio - 1)})" };
                }
            }

            _comparisons.Add(Undecided(CommonShift(SlowerMachine(comparison, factor), factor), Policy));
        }
    }

    /// <summary>
    /// Compares the finished run of <paramref name="scenario"/> with its baseline. <paramref name="runs"/> says how many
    /// trials each process made when several did (the rounds of a base-and-head comparison); null for this process alone.
    /// </summary>
    public void Complete(string scenario, IReadOnlyList<LoadReport> trials, IReadOnlyList<int>? runs = null)
    {
        _trials[scenario] = trials;
        if (_baseline.Value.Problem is { } problem)
        {
            AddOnce(_problems, problem);
            return;
        }

        if (Records)
        {
            return;
        }

        var baseline = Baseline?.Scenario(scenario);
        if (baseline is null)
        {
            if (_settings.Mode == BaselineMode.Strict)
            {
                _problems.Add($"Scenario '{scenario}' has no baseline in {BaselinePath}, and strict mode (PERF_BASELINE=strict, as in CI) does not record one. "
                    + "Record it locally with PERF_BASELINE=update and commit the file, or accept the received file written beside it.");
            }

            return;
        }

        var (factor, compare) = EnvironmentFactor();
        if (!compare)
        {
            return;
        }

        var merged = LoadReport.Merge(trials);

        // After re-measuring on a quiet machine, latency is judged on the quiet trials alone.
        var quiet = QuietTrials(trials);
        var latencyTrials = trials.Count > Policy.Trials && quiet.Length >= Policy.Trials ? quiet : trials;
        if (latencyTrials.Count < trials.Count)
        {
            _notes.Add($"Other processes disturbed {trials.Count - latencyTrials.Count} of the {trials.Count} trials of scenario '{scenario}', so more were run: latency was compared on the {latencyTrials.Count} measured while the machine was quiet, costs on all of them.");
        }

        var latencyRuns = KeptRuns(trials, runs, latencyTrials);
        foreach (var route in baseline.Routes)
        {
            if (merged.TryGetRoute(route.Name, out var failing) && failing.Count > 0 && failing.Successes == 0)
            {
                _problems.Add($"Route '{route.Name}' of scenario '{scenario}' completed {Formatting.Plural(failing.Count, "request", "requests")} and every one failed ({string.Join(", ", failing.ErrorsByKind.Select(e => $"{e.Key} × {Formatting.Count(e.Value)}"))}), so there is no latency to compare with the baseline. "
                    + "Make the route answer; the failed requests' latency says nothing about its speed.");
                continue;
            }

            if (!merged.TryGetRoute(route.Name, out var current) || current.Count == 0)
            {
                _problems.Add($"Route '{route.Name}' of scenario '{scenario}' is in the baseline {BaselinePath} but this run did not record it. "
                    + "If the step was renamed or removed on purpose, accept the received file; otherwise the scenario no longer reaches it.");
                continue;
            }

            foreach (var statistic in Policy.Statistics)
            {
                var currentValues = latencyTrials.Select(t => t.TryGetRoute(route.Name, out var r) && r.Successes > 0 ? ScenarioBaseline.Statistic(r, statistic) : double.NaN).Where(double.IsFinite).ToArray();
                var comparison = RegressionComparer.Compare(route.Name, statistic, Scaled(route, statistic, factor), currentValues, route.Count, current.Count, Policy, baseline.RunSizes, currentValues.Length == latencyTrials.Count ? latencyRuns : null, Prior(statistic));
                _comparisons.Add(Undecided(CommonShift(SlowerMachine(Disturbed(Waited(comparison, baseline, latencyTrials, Policy), latencyTrials), factor), factor), Policy));
            }
        }

        CompareCosts(scenario, baseline, trials, merged, factor, runs);
        RecordDrift(factor, runs);
        foreach (var route in merged.Routes.Where(r => baseline.Route(r.Name) is null))
        {
            _notes.Add($"Route '{route.Name}' of scenario '{scenario}' is new: it has no baseline yet, so only absolute budgets apply to it. Accept the received file to start comparing it.");
        }
    }

    /// <summary>Writes the baseline or the received file as the mode allows (a baseline only when <paramref name="othersPassed"/>), and returns the outcome.</summary>
    public GateOutcome Finish(bool othersPassed)
    {
        if (_comparisonOnly)
        {
            return Outcome(received: null, written: false);
        }

        JudgeBuild();
        var failed = _problems.Count > 0 || _comparisons.Any(c => c.Severity == CheckSeverity.Fail);
        string? received = null;
        var written = false;
        var recordable = _trials.Count > 0 && _trials.Values.All(t => t.Count > 0 && t.All(r => r.RecordedLoad)) && _baseline.Value.Problem is null;
        if (recordable)
        {
            var missing = _trials.Keys.Where(s => Baseline?.Scenario(s) is null).ToArray();
            var record = othersPassed && !failed && (Records || (_settings.Mode == BaselineMode.Compare && missing.Length > 0 && !_settings.IsCi));
            if (record)
            {
                var file = BuildFile(keepOthers: _settings.Mode is BaselineMode.Compare or BaselineMode.Extend, extend: _settings.Mode == BaselineMode.Extend);
                if (!TryWrite(BaselinePath, file, $"The baseline could not be written to {BaselinePath}", $"PERF_BASELINE={_settings.Mode.ToString().ToLowerInvariant()} records baselines there: make the folder writable, or point PERF_BASELINE_DIR at a writable directory."))
                {
                    return Outcome(received: null, written: false);
                }

                written = true;
                _notes.Add(_settings.Mode switch
                {
                    BaselineMode.Update => $"Baseline recorded ({Policy.Trials} trials per scenario) in {BaselinePath}; review and commit it.",
                    BaselineMode.Extend => $"Baseline extended with this process's {Policy.Trials} trials per scenario ({string.Join(", ", file.Scenarios.Where(sc => _trials.ContainsKey(sc.Name)).Select(sc => $"'{sc.Name}': {sc.Trials} trials in all"))}) in {BaselinePath}; review and commit it.",
                    _ => $"No baseline existed for {string.Join(", ", missing.Select(m => $"'{m}'"))}; recorded one from {Policy.Trials} trials in {BaselinePath}. Commit it to start gating.",
                });
            }
            else if (failed || !othersPassed || missing.Length > 0 || Records || _comparisons.Any(c => IsUndecidedSlowdown(c, Policy)))
            {
                received = BaselineStore.ReceivedPathOf(BaselinePath);
                if (!TryWrite(received, BuildFile(keepOthers: false, extend: false), $"The received file {received} (this run, proposed as the baseline) could not be written", "Remove what is in the way, or make the folder writable."))
                {
                    return Outcome(received: null, written: false);
                }

                if (!othersPassed && Records)
                {
                    _notes.Add($"Another check of the test failed, so no baseline was recorded; the run is in {received} for review.");
                }
                else if (!failed && missing.Length == 0 && !Records)
                {
                    _notes.Add($"A slowdown beyond the fail margin was measured but not decided; this run is in {received} for review (it is not a baseline).");
                }
                else if (missing.Length > 0 && !failed)
                {
                    _notes.Add($"No baseline for {string.Join(", ", missing.Select(m => $"'{m}'"))} and this run does not record one ({(_settings.IsCi ? "CI" : _settings.Mode.ToString().ToLowerInvariant())}); proposed {received}.");
                }
            }
        }

        return Outcome(received, written);
    }

    /// <summary>
    /// A baseline recorded from a build optimised differently from this run's (one Debug, the other Release) was not
    /// measuring the same code: every comparison with it becomes Inconclusive, with the reason, and a note says what
    /// to do. Inconclusive rather than a warning beside the verdicts: a Debug build runs several times slower and
    /// allocates more, so against an optimised baseline every statistic reads Slower and would fail the test for the
    /// build, and against a Debug baseline an optimised run reads Faster or Same and would pass whatever the change did.
    /// Neither is evidence about the change; Inconclusive passes, says so in every row, keeps the run out of the
    /// baseline (a received file is proposed) and, under FailOnInconclusive, still fails an undecided slowdown.
    /// A baseline that does not say how it was built (recorded before the build was kept) is compared as before.
    /// </summary>
    private void JudgeBuild()
    {
        if (Baseline?.Environment?.Build is not { } recorded || MeasuredBuild() is not { } current || string.Equals(recorded, current, StringComparison.Ordinal) || _comparisons.Count == 0)
        {
            return;
        }

        var why = $"the baseline's build was {recorded} and this run's is {current}, so this measures the build, not the change";
        for (var i = 0; i < _comparisons.Count; i++)
        {
            var comparison = _comparisons[i];
            _comparisons[i] = Undecided(comparison with
            {
                Verdict = Verdict.Inconclusive,
                Severity = CheckSeverity.Inconclusive,
                Reason = $"{comparison.Reason}; but {why}",
            }, Policy);
        }

        AddOnce(_notes, $"The baseline was recorded from a build that was {recorded}; this run's was {current}. The comparison measures the build, not the change, so every statistic is Inconclusive. "
            + "Compare like with like: run the test as the baseline was recorded, or record the baseline again (PERF_BASELINE=update) from an optimised build (dotnet test -c Release, or <Optimize>true</Optimize> in the app's project).");
    }

    private GateOutcome Outcome(string? received, bool written)
        => new(_test.FullName, BaselinePath, received, written, _comparisons.ToArray(), _problems.ToArray(), _notes.ToArray(), _settings.Mode, _settings.Profile, Policy) { BeforeAndAfter = _comparisonOnly };

    /// <summary>Writes a baseline or received file; a folder that cannot take it is a problem of the test, never a crash.</summary>
    private bool TryWrite(string path, BaselineFile file, string what, string fix)
    {
        try
        {
            BaselineStore.Write(path, file);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AddOnce(_problems, $"{what} ({ex.Message}). {fix}");
            return false;
        }
    }

    /// <summary>Whether this run records a baseline rather than compares with one.</summary>
    private bool Records => _settings.Mode is BaselineMode.Update or BaselineMode.Extend;

    private BaselineFile BuildFile(bool keepOthers, bool extend)
    {
        // Trials from another environment are not mixed in: extending there starts the baseline afresh.
        var mixable = extend && Baseline?.Environment is { } recorded && recorded.DifferencesFrom(_environment).Count == 0;
        var scenarios = _trials.Select(pair =>
        {
            var added = ScenarioBaseline.FromTrials(pair.Key, pair.Value);
            return mixable && Baseline!.Scenario(pair.Key) is { } earlier ? ScenarioBaseline.Combine(earlier, added) : added;
        }).ToList();
        if (keepOthers && Baseline is { } existing)
        {
            scenarios.AddRange(existing.Scenarios.Where(s => !_trials.ContainsKey(s.Name)));
        }

        return new BaselineFile
        {
            Test = _test.FullName,
            Profile = _settings.Profile,
            Environment = _environment with { Build = MeasuredBuild() },
            CalibrationMilliseconds = Math.Round(Calibration.Milliseconds, 3),
            Scenarios = scenarios.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>The factor to scale baseline values by, and whether to compare at all, under the environment policy.</summary>
    private (double Factor, bool Compare) EnvironmentFactor()
    {
        var differences = Baseline!.Environment is { } recorded ? recorded.DifferencesFrom(_environment) : ["environment: not recorded in the baseline"];
        if (differences.Count == 0)
        {
            return (1, true);
        }

        var policy = _settings.EnvironmentPolicy;
        double factor = 1;
        if (policy == EnvironmentPolicy.Normalize)
        {
            if (Baseline.CalibrationMilliseconds > 0)
            {
                factor = Calibration.Milliseconds / Baseline.CalibrationMilliseconds;
                if (factor is < 1 / MaxCalibrationRatio or > MaxCalibrationRatio)
                {
                    // No two machines a baseline is moved between differ this much: the value was edited, or
                    // scaling by it would decide the verdict instead of the measurements.
                    AddOnce(_problems, $"The baseline {BaselinePath} was recorded with a calibration time of {Formatting.Number(Baseline.CalibrationMilliseconds, "0.######")} ms, this machine measures {Formatting.Number(Calibration.Milliseconds, "0.###")} ms: "
                        + $"a ratio of {Formatting.Number(factor, "#,0.###")}, beyond the {Formatting.Number(1 / MaxCalibrationRatio, "0.##")}–{Formatting.Number(MaxCalibrationRatio)} that normalising can bridge. Record the baseline on this machine (PERF_BASELINE=update), or compare without normalising (PERF_ENVIRONMENT_POLICY=absolute-only).");
                    return (1, false);
                }
            }
            else
            {
                policy = EnvironmentPolicy.AbsoluteOnly;
            }
        }

        if (!_environmentNoted)
        {
            _environmentNoted = true;
            var what = string.Join("; ", differences);
            _notes.Add(policy switch
            {
                EnvironmentPolicy.Normalize => $"The baseline was recorded in another environment ({what}). Policy normalize: baseline values were scaled by {Formatting.Number(factor, "0.###")}, the ratio of this machine's calibration time to the baseline's ({Formatting.Milliseconds(Calibration.Milliseconds)} / {Formatting.Milliseconds(Baseline.CalibrationMilliseconds)}).",
                EnvironmentPolicy.AbsoluteOnly => $"The baseline was recorded in another environment ({what}). Policy absolute-only: no relative comparison was made; only absolute budgets apply. Record a baseline in this environment to gate here.",
                _ => $"The baseline was recorded in another environment ({what}). Policy compare: compared as if the environments matched.",
            });
        }

        return (factor, policy != EnvironmentPolicy.AbsoluteOnly);
    }

    /// <summary>
    /// A latency slowdown measured while other processes held the machine's CPU is not evidence when the disturbance
    /// could explain it: it is reported as Inconclusive, with the reason, instead of failing the test. Whether it
    /// could is read from how long this process's threads waited for a core: a wait of w ms per request on average
    /// can move the q-quantile by at most w / (1 − q) ms (all of it landing on the slowest 1 − q of the requests), so a
    /// slowdown beyond that (a waiting route barely touched by CPU contention) stays a slowdown. Costs per request
    /// are not judged here: a busy machine barely moves them.
    /// </summary>
    internal static StatisticComparison Disturbed(StatisticComparison comparison, IReadOnlyList<LoadReport> trials)
    {
        var disturbed = trials.Where(t => t.Runtime?.DisturbedByOtherProcesses == true).ToArray();
        if (comparison.Verdict != Verdict.Slower || disturbed.Length == 0 || !GateStatistic.Of(comparison.Statistic).IsLatency)
        {
            return comparison;
        }

        var others = disturbed.Max(t => t.Runtime!.OtherProcessesCpu ?? 0);
        var how = $"up to {Formatting.Percent(others)} of the machine's CPU on average";
        var bursts = disturbed.Where(t => t.Runtime!.BurstShare >= OtherProcessesBursts.DisturbingShare).ToArray();
        if (bursts.Length > 0)
        {
            // The average alone would understate a burst that held the machine for the stretch that sets the tail.
            var peak = bursts.Max(t => t.Runtime!.OtherProcessesBursts!.Value.Peak);
            var share = bursts.Max(t => t.Runtime!.BurstShare!.Value);
            how += $", and {Formatting.Percent(OtherProcessesBursts.Threshold)} or more of it (peak {Formatting.Percent(peak)}) for up to {Formatting.Percent(share)} of a trial's time";
        }

        var slowdown = Median(comparison.Current) - Median(comparison.Baseline);
        if (MostExplained(comparison.Statistic, trials) is { } explained && slowdown > explained.Milliseconds)
        {
            return comparison with
            {
                Reason = $"{comparison.Reason}; other processes held {how} during {disturbed.Length} of {trials.Count} trials, but this process's threads waited only {Formatting.Milliseconds(explained.WaitPerRequest)} per request for a core, "
                    + $"which can move {comparison.Statistic} by at most {Formatting.Milliseconds(explained.Milliseconds)}, not the {Formatting.Milliseconds(slowdown)} measured: the machine does not explain this slowdown",
            };
        }

        // A slowdown that could not have failed the test (under the floor, or in the warn band) leaves nothing to re-run for.
        return comparison with
        {
            Verdict = Verdict.Inconclusive,
            Severity = comparison.Severity == CheckSeverity.Fail ? CheckSeverity.Inconclusive : CheckSeverity.Pass,
            Reason = $"{comparison.Reason}; but other processes held {how} during {disturbed.Length} of {trials.Count} trials, so this is not evidence of a regression"
                + (comparison.Severity == CheckSeverity.Fail ? ". Re-run on a quiet machine" : string.Empty),
        };
    }

    /// <summary>
    /// A latency slowdown that this process's longer wait for a core can explain is not evidence of a regression: when
    /// its threads waited w ms more per request than when the baseline was recorded, the q-quantile can have moved by
    /// up to w / (1 − q) ms for that alone, whatever else runs on the machine (other test assemblies, the process's own
    /// CPU-bound work). It is then Inconclusive, with the figures. Only a busier machine is excused, never a busier
    /// system: when this process's CPU per request or the system's own server processes' (a slower query keeps the
    /// database busy, and the test's threads then wait for a core too) grew beyond the warn margin, the slowdown is
    /// left to the evidence.
    /// </summary>
    internal static StatisticComparison Waited(StatisticComparison comparison, ScenarioBaseline baseline, IReadOnlyList<LoadReport> trials, GatePolicy policy)
    {
        var kind = GateStatistic.Of(comparison.Statistic);
        if (comparison.Verdict != Verdict.Slower || !kind.IsLatency || !baseline.Costs.TryGetValue(GateStatistic.Wait.Name, out var before) || before.Count == 0)
        {
            return comparison;
        }

        var now = trials.Select(GateStatistic.Wait.Read).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToArray();
        var quantile = Quantile(comparison.Statistic);
        if (now.Length == 0 || double.IsNaN(quantile))
        {
            return comparison;
        }

        foreach (var own in new[] { GateStatistic.Cpu, GateStatistic.ServerCpu })
        {
            var values = trials.Select(own.Read).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToArray();
            if (baseline.Costs.TryGetValue(own.Name, out var was) && was.Count > 0 && values.Length > 0 && Median(values) > Median(was) * (1 + policy.WarnMargin))
            {
                return comparison;
            }
        }

        var (waitBefore, waitNow) = (Median(before), Median(now));
        var slowdown = Median(comparison.Current) - Median(comparison.Baseline);
        var explained = (waitNow - waitBefore) / (1 - quantile);
        if (waitNow <= waitBefore || explained < slowdown)
        {
            return comparison;
        }

        return comparison with
        {
            Verdict = Verdict.Inconclusive,
            Severity = comparison.Severity == CheckSeverity.Fail ? CheckSeverity.Inconclusive : CheckSeverity.Pass,
            Reason = $"{comparison.Reason}; but this process's threads waited {Formatting.Milliseconds(waitNow)} per request for a core against {Formatting.Milliseconds(waitBefore)} when the baseline was recorded, "
                + $"which can move {comparison.Statistic} by up to {Formatting.Milliseconds(explained)}, more than the {Formatting.Milliseconds(slowdown)} measured: the machine was busier, so this is not evidence of a regression"
                + (comparison.Severity == CheckSeverity.Fail ? ". Re-run on a quiet machine" : string.Empty),
        };
    }

    /// <summary>
    /// The most a latency statistic can have moved by this process's threads waiting for a core: the largest trial's
    /// wait per request divided by the share of requests above the quantile; <see langword="null"/> where the wait is unknown.
    /// </summary>
    private static (double WaitPerRequest, double Milliseconds)? MostExplained(string statistic, IReadOnlyList<LoadReport> trials)
    {
        var waits = trials.Select(t => t.Resources?.RunQueueMillisecondsPerRequest).ToArray();
        if (waits.Length == 0 || waits.Any(w => w is null))
        {
            return null;
        }

        var quantile = Quantile(statistic);
        if (double.IsNaN(quantile))
        {
            return null;
        }

        var wait = waits.Max(w => w!.Value);
        return (wait, wait / (1 - quantile));
    }

    /// <summary>The quantile a latency statistic names (p95 is 0.95); NaN for any other statistic.</summary>
    private static double Quantile(string statistic)
        => statistic switch { "p50" => 0.5, "p90" => 0.9, "p95" => 0.95, "p99" => 0.99, _ => double.NaN };

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// Whether a comparison left open a slowdown that could fail the test: the estimate is beyond the fail margin and
    /// the change reaches its statistic's floor, but the evidence did not decide. (A change under the floor could
    /// never fail, decided or not.)
    /// </summary>
    internal static bool IsUndecidedSlowdown(StatisticComparison comparison, GatePolicy policy)
        => comparison.Verdict == Verdict.Inconclusive && comparison.Ratio > 1 + policy.FailMargin
            && Median(comparison.Current) - Median(comparison.Baseline) >= RegressionComparer.Floor(GateStatistic.Of(comparison.Statistic), policy);

    /// <summary>Under <see cref="GatePolicy.FailOnInconclusive"/>, an undecided slowdown beyond the fail margin fails the test.</summary>
    internal static StatisticComparison Undecided(StatisticComparison comparison, GatePolicy policy)
        => policy.FailOnInconclusive && IsUndecidedSlowdown(comparison, policy)
            ? comparison with
            {
                Severity = CheckSeverity.Fail,
                Reason = $"{comparison.Reason}; the gate's policy fails a slowdown it could not decide (FailOnInconclusive): re-run the test to decide it",
            }
            : comparison;

    private static double[] Scaled(RouteBaseline route, string statistic, double factor)
        => route.TrialStatistics.TryGetValue(statistic, out var values) ? values.Select(v => v * factor).ToArray() : [];

    /// <summary>
    /// Compares one test's trials after a change with its trials before, as a run is compared with a baseline recorded
    /// from the trials before: the same statistics, margins and floors. Nothing is written.
    /// </summary>
    /// <remarks>
    /// Sides made of several runs (<see cref="ScenarioTrials.Runs"/>) keep them: with as many on both sides, run
    /// alternately, each round's two runs are paired.
    /// </remarks>
    public static GateOutcome CompareTrials(string test, IReadOnlyList<ScenarioTrials> before, IReadOnlyList<ScenarioTrials> after, GatePolicy policy)
    {
        var identity = TestIdentity.Named(test);
        var environment = EnvironmentFingerprint.Current();
        var store = new BaselineStore(Path.Combine(Path.GetTempPath(), "perfregression-compare"), "compare");
        var recorder = new RegressionGate(identity, policy, new PerfSettings { Mode = BaselineMode.Update }, store, environment);
        foreach (var scenario in before.Where(s => s.Trials.Any(t => t.RecordedLoad)))
        {
            recorder.Complete(scenario.Scenario, scenario.Trials.Where(t => t.RecordedLoad).ToArray());
        }

        var file = recorder.BuildFile(keepOthers: false, extend: false);
        foreach (var scenario in before)
        {
            // Only when every trial recorded load do the runs still describe the trials the baseline kept.
            if (scenario.Runs is { } runs && scenario.Trials.All(t => t.RecordedLoad) && file.Scenario(scenario.Scenario) is { } kept)
            {
                kept.Runs = [.. runs];
            }
        }

        var gate = new RegressionGate(identity, policy, new PerfSettings { Mode = BaselineMode.Compare }, store, environment, file);
        foreach (var scenario in after)
        {
            var trials = scenario.Trials.Where(t => t.RecordedLoad).ToArray();
            if (trials.Length == 0)
            {
                gate._problems.Add($"Scenario '{scenario.Scenario}' recorded no load after the change, so there is nothing to compare.");
            }
            else if (recorder._trials.ContainsKey(scenario.Scenario))
            {
                gate.Complete(scenario.Scenario, trials, trials.Length == scenario.Trials.Count ? scenario.Runs : null);
            }
            else
            {
                gate._notes.Add($"Scenario '{scenario.Scenario}' is new: it has no trials before the change to compare with.");
            }
        }

        foreach (var gone in before.Select(s => s.Scenario).Except(after.Select(s => s.Scenario), StringComparer.Ordinal))
        {
            gate._notes.Add($"Scenario '{gone}' ran before the change and not after it.");
        }

        return gate.Finish(othersPassed: true);
    }

    private (BaselineFile? File, string? Problem) LoadBaseline()
    {
        try
        {
            return (_store.Read(_test), null);
        }
        catch (BaselineException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>The trials of one scenario's run, as the gate plans them, and the per-trial line of the run's summary.</summary>
    private sealed class Planner(RegressionGate gate, string scenario) : ITrialPlanner
    {
        public bool WantsAnotherTrial(IReadOnlyList<LoadReport> trials) => gate.WantsAnotherTrial(scenario, trials);

        public string DescribeTrials(IReadOnlyList<LoadReport> trials)
        {
            if (trials.Count == 1)
            {
                return string.Empty;
            }

            var lines = trials[0].Routes.Select(r => r.Name).Select(route => $"  {route}: " + string.Join(" · ", gate.Policy.Statistics.Select(s =>
                $"{s} " + string.Join(", ", trials.Select(t => t.TryGetRoute(route, out var r) && r.Successes > 0 ? Formatting.Number(ScenarioBaseline.Statistic(r, s), "0.##") : "-")) + " ms")));
            var costs = gate.Policy.Costs.Select(GateStatistic.Of)
                .Select(cost => (cost, values: trials.Select(cost.Read).ToArray()))
                .Where(c => c.values.All(v => v is { } x && double.IsFinite(x)))
                .Select(c => $"{c.cost.Name} " + string.Join(", ", c.values.Select(v => c.cost.Format(v!.Value))))
                .ToArray();
            if (costs.Length > 0)
            {
                lines = lines.Append("  per request: " + string.Join(" · ", costs));
            }

            return string.Create(CultureInfo.InvariantCulture, $"trials: {trials.Count} (per trial)\n") + string.Join("\n", lines) + "\n";
        }
    }

    private static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item, StringComparer.Ordinal))
        {
            list.Add(item);
        }
    }
}
