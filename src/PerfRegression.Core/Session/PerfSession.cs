using PerfRegression.Measurement;
using System.Runtime.CompilerServices;
using PerfRegression.Checks;
using PerfRegression.Engine;
using PerfRegression.Text;

namespace PerfRegression.Session;

/// <summary>
/// The session of one performance test: opened before the test body, it collects the body's load runs, lets its
/// checks take part in them (the regression gate plans confirmation trials), and after the body decides every
/// check, writes the verdict to the test's output and results, and returns it. Framework-free: the xUnit attributes
/// are thin glue over it, and another framework's adapter can drive it the same way.
/// </summary>
/// <remarks>
/// A test's checks are its absolute budgets (<see cref="AddBudgets"/>; without an error-rate budget,
/// <see cref="Budget.DefaultErrorRate"/> applies), its regression gate (on unless turned off with
/// <see cref="ConfigureGate"/>), and any <see cref="IPerfCheck"/> added with <see cref="AddCheck"/>.
/// The configuration is frozen once the first load run starts. Settings are injected; the environment's
/// (<see cref="PerfSettings.Current"/>) are only the default.
/// </remarks>
public sealed class PerfSession : ILoadRunContext, ITargetListener, IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<IPerfCheck> _checks = [];
    private readonly List<LoadReport> _reports = [];
    private readonly List<ScenarioTrials> _trials = [];
    private readonly List<CapacityReport> _capacities = [];
    private readonly List<MicroBenchmarkResult> _microBenchmarks = [];
    private readonly HashSet<System.Reflection.Assembly> _apps = [];
    private readonly ConditionalWeakTable<Scenario, IReadOnlyList<ITrialPlanner>> _planners = [];
    private readonly IDisposable _ambient;
    private readonly IDisposable _inProcess = TestsInProcess.Enter();
    private LatencyBudgetCheck? _budgets;
    private GatePolicy _gatePolicy = GatePolicy.Default;
    private bool _gateEnabled = true;
    private IPerfCheck? _gate;
    private bool _running;
    private bool _ended;

    private PerfSession(TestIdentity test, PerfSettings settings, ITestHost host)
    {
        Test = test;
        Settings = settings;
        Host = host;
        _ambient = LoadRunContext.Use(this);
    }

    /// <summary>The session of the current async flow (the test being run), or <see langword="null"/>.</summary>
    public static PerfSession? Current => LoadRunContext.InUse as PerfSession;

    /// <summary>The test.</summary>
    public TestIdentity Test { get; }

    /// <summary>The settings the checks use (baseline mode, profile, directories).</summary>
    public PerfSettings Settings { get; }

    /// <summary>The test framework's output, warnings, attachments and cancellation.</summary>
    public ITestHost Host { get; }

    /// <summary>The load runs of the test body so far; a run with confirmation trials is their exact merge.</summary>
    public IReadOnlyList<LoadReport> Reports
    {
        get
        {
            lock (_lock)
            {
                return _reports.ToArray();
            }
        }
    }

    /// <summary>The capacity searches of the test body so far.</summary>
    public IReadOnlyList<CapacityReport> Capacities
    {
        get
        {
            lock (_lock)
            {
                return _capacities.ToArray();
            }
        }
    }

    /// <summary>The micro-benchmarks of the test body so far.</summary>
    public IReadOnlyList<MicroBenchmarkResult> MicroBenchmarks
    {
        get
        {
            lock (_lock)
            {
                return _microBenchmarks.ToArray();
            }
        }
    }

    /// <summary>The absolute budgets added so far.</summary>
    public IReadOnlyList<Budget> Budgets => _budgets?.Budgets ?? [];

    /// <summary>The checks added with <see cref="AddCheck"/>.</summary>
    public IReadOnlyList<IPerfCheck> Checks => _checks;

    /// <summary>Opens the session of <paramref name="test"/> and makes it the current one until it is finished or disposed.</summary>
    /// <param name="test">The test.</param>
    /// <param name="settings">The settings; the default is <see cref="PerfSettings.Current"/>, read from the environment.</param>
    /// <param name="host">The test framework's side; the default offers no output and no cancellation.</param>
    /// <exception cref="PerfConfigurationException">The settings are invalid; the message lists every problem.</exception>
    public static PerfSession Start(TestIdentity test, PerfSettings? settings = null, ITestHost? host = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        settings ??= PerfSettings.Current;
        var problems = new Problems();
        problems.AddRange(settings.Validate());
        problems.AddRange(settings.ValidateDirectories());
        problems.ThrowIfAny(nameof(PerfSettings));
        return new PerfSession(test, settings, host ?? NoTestHost.Instance);
    }

    /// <summary>Adds absolute budgets, checked against every load run of the test.</summary>
    /// <exception cref="PerfConfigurationException">A budget is invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">A load run has started; the configuration is frozen.</exception>
    public void AddBudgets(IEnumerable<Budget> budgets)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var list = budgets.ToArray();
        var problems = new Problems();
        problems.AddRange(list.SelectMany(b => b.Validate()));
        problems.ThrowIfAny($"The budgets of {Test.Name}");
        ThrowIfRunning();
        (_budgets ??= new LatencyBudgetCheck()).Add(list);
    }

    /// <summary>Sets the regression gate's policy, or turns the gate off.</summary>
    /// <param name="policy">How the gate decides; <see langword="null"/> keeps the current one (at first <see cref="GatePolicy.Default"/>).</param>
    /// <param name="enabled">Whether the test is compared with its baseline at all. Once turned off it stays off.</param>
    /// <exception cref="PerfConfigurationException">The policy is invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">A load run has started; the configuration is frozen.</exception>
    public void ConfigureGate(GatePolicy? policy = null, bool enabled = true)
    {
        if (policy is not null && enabled)
        {
            var problems = new Problems();
            problems.AddRange(policy.Validate());
            problems.ThrowIfAny($"The regression gate of {Test.Name}");
        }

        ThrowIfRunning();
        _gatePolicy = policy ?? _gatePolicy;
        _gateEnabled &= enabled;
    }

    /// <summary>Adds a check, decided after the test body with the others.</summary>
    /// <exception cref="InvalidOperationException">A load run has started; the configuration is frozen.</exception>
    public void AddCheck(IPerfCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        ThrowIfRunning();
        _checks.Add(check);
    }

    /// <summary>
    /// Ends the session: decides every check (those that decide last see the others' results), writes the verdict
    /// to the test's output, warnings and attachments and to the results directory, and returns it. Throws nothing
    /// for a failed check; call <see cref="TestVerdict.EnsurePassed"/> to fail.
    /// </summary>
    /// <exception cref="InvalidOperationException">The session was already finished.</exception>
    public async Task<TestVerdict> FinishAsync(CancellationToken cancellationToken = default)
    {
        EndAmbient();
        var reports = Reports;
        var capacities = Capacities;
        var microBenchmarks = MicroBenchmarks;

        // A test that only searched capacity or ran micro-benchmarks has no load run for the default error budget to
        // judge; what it measured is judged by its own check, added with its defaults when the test stated none.
        if (!Budgets.Any(b => b.Metric == BudgetMetric.ErrorRate) && (reports.Count > 0 || (capacities.Count == 0 && microBenchmarks.Count == 0)))
        {
            (_budgets ??= new LatencyBudgetCheck()).Add([Budget.DefaultErrorRateBudget()]);
        }

        if (capacities.Count > 0 && !_checks.OfType<CapacityCheck>().Any())
        {
            _checks.Add(new CapacityCheck());
        }

        if (microBenchmarks.Count > 0 && !_checks.OfType<MicroBenchmarkCheck>().Any())
        {
            _checks.Add(new MicroBenchmarkCheck());
        }

        var checks = AllChecks(createGate: true, out var gateProblem);
        var results = new CheckResult?[checks.Count];
        foreach (var last in new[] { false, true })
        {
            var earlier = last ? results.OfType<CheckResult>().ToArray() : [];
            for (var i = 0; i < checks.Count; i++)
            {
                if (checks[i].DecidesLast == last)
                {
                    results[i] = await DecideAsync(checks[i], new CheckContext(Test, Settings, reports, earlier) { Capacities = capacities, MicroBenchmarks = microBenchmarks }, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var all = results.OfType<CheckResult>().ToList();
        if (gateProblem is not null)
        {
            all.Add(new CheckResult { Title = "Baseline", Severity = CheckSeverity.Fail, Problems = [gateProblem] });
        }

        var verdict = TestVerdict.Of(reports, all, Test.Name) with { Context = Context() };
        if (reports.Count > 0 && UnoptimizedBuild() is { Count: > 0 } unoptimized)
        {
            verdict = verdict with { RunWarnings = [.. verdict.RunWarnings, Builds.Warning(unoptimized)] };
        }

        ScenarioTrials[] trials;
        lock (_lock)
        {
            trials = [.. _trials];
        }

        SessionOutput.Publish(this, verdict, reports, trials);
        return verdict;
    }

    /// <summary>Ends the session without deciding anything (for a test that was abandoned); the ambient session is restored.</summary>
    public void Dispose() => EndAmbient(throwIfEnded: false);

    CancellationToken ILoadRunContext.CancellationToken => Host.CancellationToken;

    ITrialPlanner? ILoadRunContext.RunStarting(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ITrialPlanner[] planners;
        lock (_lock)
        {
            _running = true;
            var checks = AllChecks(createGate: true, out var problem);
            if (problem is not null)
            {
                throw new PerfConfigurationException(problem);
            }

            planners = checks.OfType<ILoadRunListener>().Select(l => l.RunStarting(scenario)).OfType<ITrialPlanner>().ToArray();
            _planners.AddOrUpdate(scenario, planners);
        }

        return planners.Length switch
        {
            0 => null,
            1 => planners[0],
            _ => new AnyPlanner(planners),
        };
    }

    /// <summary>A memory budget needs its runs to measure memory, a leak check its samples: the runner must know before the run.</summary>
    void ILoadRunContext.Prepare(LoadOptions options)
    {
        if (Budgets.Any(b => b.IsMemory))
        {
            options.MeasureMemory ??= true;
        }

        foreach (var listener in _checks.OfType<ILoadRunListener>())
        {
            listener.Prepare(options);
        }
    }

    void ITargetListener.TargetUsed(ILoadTarget target)
    {
        if (target is IAppTarget { App: { } app })
        {
            lock (_lock)
            {
                _apps.Add(app);
            }
        }
    }

    void ILoadRunContext.CapacityFound(CapacityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_lock)
        {
            _capacities.Add(report);
        }

        Host.WriteLine(report.ToSummary());
    }

    void ILoadRunContext.MicroBenchmarkFound(MicroBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_lock)
        {
            _microBenchmarks.Add(result);
        }

        Host.WriteLine(result.ToString());
    }

    void ILoadRunContext.Progress(LoadProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Host.Progress(progress.ToString());
    }

    void ILoadRunContext.RunCompleted(Scenario scenario, IReadOnlyList<LoadReport> trials, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(report);
        ITrialPlanner[] planners;
        lock (_lock)
        {
            _reports.Add(report);
            _trials.Add(new ScenarioTrials(scenario.Name, trials.ToArray()));
            foreach (var listener in AllChecks(createGate: false, out _).OfType<ILoadRunListener>())
            {
                listener.RunCompleted(scenario, trials);
            }

            planners = _planners.TryGetValue(scenario, out var found) ? [.. found] : [];
        }

        Host.WriteLine(report.ToSummary() + string.Concat(planners.Select(p => p.DescribeTrials(trials)).Where(d => d.Length > 0).Select(d => "\n" + d)));
    }

    /// <summary>Decides one check; a check that throws could not be made, which fails the test with the reason instead of hiding the others' verdicts.</summary>
    private static async Task<CheckResult> DecideAsync(IPerfCheck check, CheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await check.EvaluateAsync(context, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever a check throws is reported as its problem, in the verdict and the results.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return new CheckResult
            {
                Title = check.GetType().Name,
                Severity = CheckSeverity.Fail,
                Problems = [$"The check {check.GetType().Name} could not be decided: {ex.GetType().Name}: {ex.Message}"],
            };
        }
    }

    /// <summary>The checks in the order their sections appear: budgets, the gate, then the added ones.</summary>
    private List<IPerfCheck> AllChecks(bool createGate, out string? gateProblem)
    {
        gateProblem = null;
        if (createGate && _gateEnabled && _gate is null)
        {
            try
            {
                var gate = RegressionGate.For(Test, _gatePolicy, Settings);
                gate.BrokenBudget = BrokenBudget;
                gate.MeasuredBuild = () => Builds.Describe(UnoptimizedBuild());
                _gate = gate;
            }
            catch (PerfConfigurationException ex)
            {
                gateProblem = ex.Message;
            }
        }

        var checks = new List<IPerfCheck>();
        if (_budgets is not null)
        {
            checks.Add(_budgets);
        }

        if (_gate is not null)
        {
            checks.Add(_gate);
        }

        checks.AddRange(_checks);
        return checks;
    }

    private SortedDictionary<string, string> Context()
    {
        var context = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["profile"] = Settings.Profile };
        if (_gateEnabled)
        {
            context["baseline mode"] = Settings.Mode.ToString().ToLowerInvariant();
        }

        return context;
    }

    private void ThrowIfRunning()
    {
        if (_running || _ended)
        {
            throw new InvalidOperationException($"The performance session of {Test.Name} is frozen: a load run has started (or the session ended), so its checks can no longer change. Configure budgets, the gate and checks before the first Load.RunAsync.");
        }
    }

    private void EndAmbient(bool throwIfEnded = true)
    {
        if (_ended)
        {
            if (throwIfEnded)
            {
                throw new InvalidOperationException($"The performance session of {Test.Name} was already finished; a session decides its checks once.");
            }

            return;
        }

        _ended = true;
        _ambient.Dispose();
        _inProcess.Dispose();
    }

    /// <summary>The assemblies of the code this test measured that were built without optimisation (<see cref="Builds.Unoptimized"/>).</summary>
    private IReadOnlyList<string> UnoptimizedBuild()
    {
        System.Reflection.Assembly[] apps;
        lock (_lock)
        {
            apps = [.. _apps];
        }

        return Builds.Unoptimized(apps);
    }

    /// <summary>The test's budget that <paramref name="trials"/> broke, named for the gate's note; a budget on a route of another scenario does not count here.</summary>
    private string? BrokenBudget(IReadOnlyList<LoadReport> trials)
    {
        var budgets = Budgets;
        if (budgets.Count == 0 || trials.Count == 0)
        {
            return null;
        }

        var merged = trials.Count == 1 ? trials[0] : LoadReport.Merge(trials);
        return BudgetEvaluation.Evaluate([merged], budgets).Results.FirstOrDefault(r => r.Samples > 0 && !r.Passed) is { } broken
            ? broken.Description
            : null;
    }

    /// <summary>
    /// The test's abort-on-fail budgets, judged on the run so far once each has been measured for its delay: the first
    /// one broken ends the run, named with its measurement.
    /// </summary>
    Func<LoadReport, string?>? ILoadRunContext.AbortCheck(Scenario scenario)
    {
        var aborting = Budgets.Where(b => b.AbortOnFail).ToArray();
        if (aborting.Length == 0)
        {
            return null;
        }

        return soFar =>
        {
            var due = aborting.Where(b => soFar.Duration >= b.AbortDelay).ToArray();
            if (due.Length == 0)
            {
                return null;
            }

            return BudgetEvaluation.Evaluate([soFar], due).Results.FirstOrDefault(r => r.Samples > 0 && !r.Passed) is { } broken
                ? $"{broken.Description} broken ({broken.Budget.FormatValue(broken.Measured)} against {broken.Budget.LimitText} over the first {Formatting.Duration(soFar.Duration)}, {Formatting.Plural(broken.Samples, "request", "requests")}), and it is abort-on-fail"
                : null;
        };
    }

    /// <summary>Several checks plan trials: the run makes another while any of them wants one.</summary>
    private sealed class AnyPlanner(IReadOnlyList<ITrialPlanner> planners) : ITrialPlanner
    {
        public bool WantsAnotherTrial(IReadOnlyList<LoadReport> trials)
        {
            var any = false;
            foreach (var planner in planners)
            {
                // Every planner sees every trial, so none is skipped by an earlier answer.
                any |= planner.WantsAnotherTrial(trials);
            }

            return any;
        }

        public string DescribeTrials(IReadOnlyList<LoadReport> trials)
            => string.Concat(planners.Select(p => p.DescribeTrials(trials)));
    }
}
