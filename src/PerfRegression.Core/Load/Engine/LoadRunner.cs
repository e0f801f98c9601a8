using HdrHistogram;
using PerfRegression.Measurement;
using PerfRegression.Text;

namespace PerfRegression.Engine;

/// <summary>
/// Executes one load run: sets up the virtual users, warms up, measures, stops within its deadline,
/// and turns what the workers recorded into a <see cref="LoadReport"/>. Runs never overlap in a
/// process: a second run waits for the first, so two tests in parallel cannot distort each other.
/// </summary>
internal sealed class LoadRunner
{
    private static readonly SemaphoreSlim RunGate = new(1, 1);

    /// <summary>The time a hung run is given, after its graceful stop, to hand back its workers before they are abandoned.</summary>
    internal static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(1);

    private readonly ILoadTarget _target;
    private readonly Scenario _scenario;
    private readonly LoadProfile _profile;
    private readonly LoadOptions _options;
    private readonly TimeProvider _time;
    private readonly double _microsecondsPerTick;
    private readonly IRequestObserver[] _observers;
    private readonly bool _appExceptionsReachClient;
    private string? _warmupWarning;
    private Action<LoadProgress>? _progress;
    private int _trials;

    /// <summary>In a mix: how long after the mix's measurement starts this part starts; the other parts' scenarios.</summary>
    private TimeSpan _startAfter;
    private string[] _ranWith = [];

    /// <summary>Reads the run so far after each timeline interval and names why to abort it, or returns null (abort-on-fail budgets).</summary>
    private Func<LoadReport, string?>? _abortCheck;

    /// <summary>Workers of the last phase that did not stop when cancelled, with the index of the user each still holds.</summary>
    private List<(int User, Task Worker)> _abandoned = [];

    private LoadRunner(ILoadTarget target, Scenario scenario, LoadProfile profile, LoadOptions options, IRequestObserver[] observers)
    {
        _target = target;
        _scenario = scenario;
        _profile = profile;
        _options = options;
        _time = options.TimeProvider;
        _microsecondsPerTick = 1_000_000.0 / _time.TimestampFrequency;
        _observers = observers;
        _appExceptionsReachClient = target is ITargetAddress { ServesAnyHost: true };
    }

    public static void Validate(ILoadTarget? target, Scenario? scenario, LoadProfile? profile, LoadOptions options)
    {
        var problems = new Problems();
        if (target is null)
        {
            problems.Add("The target is null. Create one with LoadTarget.InMemory(factory), LoadTarget.Kestrel(factory) or LoadTarget.External(uri).");
        }

        if (scenario is null)
        {
            problems.Add("The scenario is null. Create one with Scenario.Create(\"name\").Get(\"step\", \"/path\").");
        }
        else
        {
            problems.AddRange(scenario.Validate());
        }

        if (profile is null)
        {
            problems.Add("The load profile is null. Create one with LoadProfile.Users(10, TimeSpan.FromSeconds(10)) or LoadProfile.ConstantRate(...).");
        }
        else
        {
            problems.AddRange(profile.Validate());
        }

        if (target is ITargetAddress { BaseAddress: { } baseAddress } address && scenario is not null)
        {
            foreach (var step in scenario.Steps.Where(s => s.HasFixedPath))
            {
                if (step.FixedPath is { } path && !path.StartsWith('/') && Uri.TryCreate(path, UriKind.Absolute, out var url) && !VirtualUser.SameServer(url, baseAddress))
                {
                    problems.Add(address.ServesAnyHost
                        ? $"Step '{step.Name}' of scenario '{scenario.Name}' requests the absolute URL '{path}', but the target is the {target!.Description}, which answers every host from the app under test: the load would not go where the URL says. Give the path relative to the app, e.g. \"{url.PathAndQuery}\", or target that server with LoadTarget.External(new Uri(\"{url.GetLeftPart(UriPartial.Authority)}/\"))."
                        : $"Step '{step.Name}' of scenario '{scenario.Name}' requests the absolute URL '{path}', outside the target ({target!.Description}): the load would go to another server than the one the report names. Give the path relative to the target, e.g. \"{url.PathAndQuery}\", or make that server the target with LoadTarget.External(new Uri(\"{url.GetLeftPart(UriPartial.Authority)}/\")).");
                }
            }
        }

        if (target is not null and not IWebSocketTarget && scenario?.Steps.FirstOrDefault(s => s.UsesWebSocket) is { } socketStep)
        {
            problems.Add($"Step '{socketStep.Name}' of scenario '{scenario.Name}' uses a WebSocket, but the target ({target.Description}) cannot open one: a target from a client factory has no server address to upgrade. Use LoadTarget.InMemory, LoadTarget.Kestrel or LoadTarget.External.");
        }

        problems.AddRange(options.Validate());
        problems.ThrowIfAny($"The load test '{scenario?.Name}'");
    }

    /// <summary>
    /// Runs measured trials with the same set-up, warmed-up users: one, then another while
    /// <paramref name="planner"/> wants one (the regression gate's confirmation trials). Each request is reported
    /// to <paramref name="observers"/>.
    /// </summary>
    public static async Task<IReadOnlyList<LoadReport>> RunTrialsAsync(ILoadTarget target, Scenario scenario, LoadProfile profile, LoadOptions options, ITrialPlanner? planner, IRequestObserver[] observers, CancellationToken cancellationToken, Action<LoadProgress>? progress = null, Func<LoadReport, string?>? abortCheck = null)
    {
        Validate(target, scenario, profile, options);

        // Waits for a pooled connection are reported as changes: count them from before the first request.
        DatabaseConnections.Listen();
        await RunGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var machine = await MachineRunLock.AcquireAsync(options.TimeProvider, cancellationToken).ConfigureAwait(false);
            var runner = new LoadRunner(target, scenario, profile, options, observers) { _progress = progress, _abortCheck = abortCheck };
            return await runner.ExecuteAsync(trials => planner?.WantsAnotherTrial(trials) == true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            RunGate.Release();
        }
    }

    /// <summary>
    /// Runs several scenarios at once, each with its own users, profile and start offset, in one hold of the run gate:
    /// set up and warmed up together, then measured together, trial after trial while any part's planner wants another
    /// (every part runs every trial, so the parts always competed for the same system). Returns each part's trials.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyList<LoadReport>>> RunMixAsync(ILoadTarget target, IReadOnlyList<ScenarioLoad> parts, LoadOptions options, IReadOnlyList<ITrialPlanner?> planners, IReadOnlyList<Func<LoadReport, string?>?> abortChecks, IRequestObserver[] observers, CancellationToken cancellationToken, Action<LoadProgress>? progress = null)
    {
        ValidateMix(target, parts, options);
        DatabaseConnections.Listen();
        await RunGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var machine = await MachineRunLock.AcquireAsync(options.TimeProvider, cancellationToken).ConfigureAwait(false);
            var names = parts.Select(p => p.Scenario.Name).ToArray();
            var runners = parts.Select((p, i) => new LoadRunner(target, p.Scenario, p.Profile, options, observers)
            {
                _progress = progress,
                _startAfter = p.StartAfter,
                _ranWith = names.Where((_, j) => j != i).ToArray(),
                _abortCheck = abortChecks[i],
            }).ToArray();
            var users = new VirtualUser[runners.Length][];
            try
            {
                for (var i = 0; i < runners.Length; i++)
                {
                    users[i] = await runners[i].CreateUsersAsync(cancellationToken).ConfigureAwait(false);
                }

                await Task.WhenAll(runners.Select((r, i) => r.WarmUpAsync(users[i], cancellationToken))).ConfigureAwait(false);
                var trials = runners.Select(_ => new List<LoadReport>()).ToArray();
                using var abort = new MixAbort();
                bool another;
                do
                {
                    var measured = await Task.WhenAll(runners.Select((r, i) => r.MeasureTrialAsync(users[i], abort, cancellationToken))).ConfigureAwait(false);
                    for (var i = 0; i < runners.Length; i++)
                    {
                        trials[i].Add(measured[i]);
                        runners[i]._trials = trials[i].Count;
                    }

                    // Every planner sees every trial (no short cut): each keeps its own account of the evidence.
                    another = false;
                    for (var i = 0; i < runners.Length; i++)
                    {
                        another |= planners[i]?.WantsAnotherTrial(trials[i]) == true;
                    }
                }
                while (another && !abort.Aborted);

                return trials;
            }
            finally
            {
                // A part whose set-up failed closed its own users; the parts after it have none yet.
                foreach (var group in users.Where(g => g is not null))
                {
                    await CloseUsersAsync(group).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            RunGate.Release();
        }
    }

    internal static void ValidateMix(ILoadTarget? target, IReadOnlyList<ScenarioLoad>? parts, LoadOptions options)
    {
        var problems = new Problems();
        if (parts is null || parts.Count == 0)
        {
            problems.Add("The mix has no scenarios. Give at least two, e.g. [browse.Under(LoadProfile.Users(20, TimeSpan.FromSeconds(30))), buy.Under(LoadProfile.ConstantRate(5, TimeSpan.FromSeconds(30), 20))].");
            problems.ThrowIfAny("The mixed load test");
            return;
        }

        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is not { } part)
            {
                problems.Add($"Part {i + 1} of the mix is null. Give each scenario with its profile: scenario.Under(profile).");
                continue;
            }

            try
            {
                Validate(target, part.Scenario, part.Profile, options);
            }
            catch (PerfConfigurationException ex)
            {
                problems.Add(ex.Message);
            }

            if (part.StartAfter < TimeSpan.Zero)
            {
                problems.Add($"Scenario '{part.Scenario?.Name}' starts {Formatting.Duration(part.StartAfter)} after the mix; a start offset must be zero or more.");
            }

            if (Limits.TooLong($"The start offset of scenario '{part.Scenario?.Name}'", part.StartAfter) is { } tooLong)
            {
                problems.Add(tooLong);
            }
        }

        foreach (var same in parts.Where(p => p?.Scenario is not null).GroupBy(p => p.Scenario.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"The mix runs {same.Count()} scenarios named '{same.Key}'; each part is reported, budgeted and compared with its baseline by its scenario's name. Give each part a scenario of its own name.");
        }

        problems.ThrowIfAny("The mixed load test");
    }

    private async Task<IReadOnlyList<LoadReport>> ExecuteAsync(Func<IReadOnlyList<LoadReport>, bool> anotherTrial, CancellationToken cancellationToken)
    {
        var users = Array.Empty<VirtualUser>();
        try
        {
            users = await CreateUsersAsync(cancellationToken).ConfigureAwait(false);
            await WarmUpAsync(users, cancellationToken).ConfigureAwait(false);

            var trials = new List<LoadReport>();
            using var abort = new MixAbort();
            do
            {
                trials.Add(await MeasureTrialAsync(users, abort, cancellationToken).ConfigureAwait(false));
                _trials = trials.Count;
            }
            while (!abort.Aborted && anotherTrial(trials));

            return trials;
        }
        finally
        {
            await CloseUsersAsync(users).ConfigureAwait(false);
        }
    }

    /// <summary>The profile's peak of users, each with its own client, set up (the scenario's setup run once per user).</summary>
    private async Task<VirtualUser[]> CreateUsersAsync(CancellationToken cancellationToken)
    {
        var users = new VirtualUser[_profile.MaxConcurrency];
        try
        {
            for (var i = 0; i < users.Length; i++)
            {
                users[i] = NewUser(i);
            }

            await SetupUsersAsync(users, cancellationToken).ConfigureAwait(false);
            return users;
        }
        catch
        {
            await CloseUsersAsync(users).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CloseUsersAsync(VirtualUser[] users)
    {
        foreach (var user in users)
        {
            if (user is not null)
            {
                await user.CloseWebSocketAsync().ConfigureAwait(false);
                user.Http.Dispose();
            }
        }
    }

    /// <summary>One measured trial, after the part's start offset when it runs in a mix.</summary>
    private async Task<LoadReport> MeasureTrialAsync(VirtualUser[] users, MixAbort abort, CancellationToken cancellationToken)
    {
        foreach (var user in users)
        {
            user.Iteration = 0;
        }

        if (_startAfter > TimeSpan.Zero)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abort.Signal);
            try
            {
                await Task.Delay(_startAfter, _time, either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Another part aborted the mix before this one started: it measures nothing, and says why.
            }
        }

        return await MeasureAsync(users, abort, cancellationToken).ConfigureAwait(false);
    }

    private VirtualUser NewUser(int id)
    {
        var client = _target.CreateClient();
        client.Timeout = _options.RequestTimeout;
        return new VirtualUser(id, client, _options.Seed)
        {
            WebSocketConnector = _target is IWebSocketTarget sockets ? (url, headers, ct) => sockets.ConnectWebSocketAsync(client, url, headers, ct) : null,
        };
    }

    /// <summary>
    /// A worker abandoned in the last phase still runs its user's step (one that ignores cancellation): that user is
    /// replaced by a new one, set up afresh, so no user is ever driven by two workers. The old client is disposed when
    /// its worker ends.
    /// </summary>
    private async Task ReplaceAbandonedUsersAsync(VirtualUser[] users, CancellationToken cancellationToken)
    {
        if (_abandoned.Count == 0)
        {
            return;
        }

        var fresh = new List<VirtualUser>(_abandoned.Count);
        foreach (var (index, worker) in _abandoned)
        {
            var old = users[index];
            _ = worker.ContinueWith(async _ => { await old.CloseWebSocketAsync().ConfigureAwait(false); old.Http.Dispose(); }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            users[index] = NewUser(index);
            fresh.Add(users[index]);
        }

        _abandoned = [];
        await SetupUsersAsync(fresh, cancellationToken).ConfigureAwait(false);
    }

    private async Task SetupUsersAsync(IEnumerable<VirtualUser> users, CancellationToken cancellationToken)
    {
        if (_scenario.SetupAction is not { } setup)
        {
            return;
        }

        await Parallel.ForEachAsync(
            users,
            new ParallelOptions { MaxDegreeOfParallelism = _options.SetupParallelism, CancellationToken = cancellationToken },
            async (user, ct) =>
            {
                try
                {
                    await setup(user, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    throw new InvalidOperationException(
                        $"The setup of virtual user {user.Id} in scenario '{_scenario.Name}' failed: {ex.Message} "
                        + "The setup runs once per user before measuring (e.g. to log in); fix it, or the system it calls, and run again.", ex);
                }
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Warms up in slices until two in a row agree on throughput within 15%, p95 within 25% and this process's CPU
    /// time per request within 10%, with the runtime's tiered-compilation thread idle in the last (the JIT has tiered
    /// up, pools and caches are filled), or <see cref="LoadOptions.MaxWarmup"/> of wall time is used up, graceful stops
    /// and pauses included, so a hanging system cannot stretch it. A slice in which nothing completed ends the warm-up:
    /// a system that hangs or refuses does not warm. The closed model warms up with the profile's peak users; the open
    /// model at its peak arrival rate, never faster, so a generous concurrency cap does not flood the system. A first
    /// measured trial that is still warming up would read as a regression against a warm baseline: code still running
    /// unoptimised costs more CPU per request (a route first run in a process: 2.8 ms per request for 35 s, then 1.4 ms),
    /// which throughput and p95 alone did not show.
    /// </summary>
    private async Task WarmUpAsync(VirtualUser[] users, CancellationToken cancellationToken)
    {
        if (_options.Warmup <= TimeSpan.Zero)
        {
            return;
        }

        var closed = new StageSchedule([], users.Length);
        var open = _profile is OpenLoadProfile rate ? new ArrivalSchedule(rate.PeakPerSecond, [new RateStage(_options.Warmup, rate.PeakPerSecond)]) : null;
        // CPU time means something only on the real clock.
        var cpuAware = _time == TimeProvider.System;
        var started = _time.GetTimestamp();
        Slice? previous = null;
        while (_time.GetElapsedTime(started) + _options.Warmup <= _options.MaxWarmup)
        {
            var grace = Min(_options.GracefulStop, _options.MaxWarmup - _time.GetElapsedTime(started) - _options.Warmup);
            var recorders = CreateRecorders(users.Length, separateServiceTime: false);
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var scheduleBefore = cpuAware ? ThreadSchedule.Read() : null;
            await RunPhaseAsync(users, recorders, _options.Warmup, grace, closed: open is null ? (closed, null, null) : null, open, measured: false, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var (count, p95) = Signature(recorders);
            if (count == 0)
            {
                return;
            }

            var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds;
            var tiering = ThreadSchedule.Between(scheduleBefore, cpuAware ? ThreadSchedule.Read() : null)?.TieringCpu.TotalMilliseconds ?? 0;
            var slice = new Slice(count, p95, cpu / count, tiering, TieringQuiet: tiering <= 0.02 * Math.Max(cpu, 1e-9));
            if (previous is { } last && Agree(last.Count, slice.Count, 0.15) && Agree(last.P95, slice.P95, 0.25)
                && (!cpuAware || (Agree(last.CpuPerRequest, slice.CpuPerRequest, 0.10) && slice.TieringQuiet)))
            {
                return;
            }

            previous = slice;
            if (cpuAware && !slice.TieringQuiet)
            {
                await LetTheJitCatchUpAsync(Min(TieringPause, _options.MaxWarmup - _time.GetElapsedTime(started) - _options.Warmup), cancellationToken).ConfigureAwait(false);
            }
        }

        if (previous is { TieringQuiet: false } unsettled)
        {
            _warmupWarning = $"The runtime was still optimising code when the measurement began: in the last second of the {Formatting.Duration(_time.GetElapsedTime(started))} warm-up its tiered-compilation thread used {Formatting.Milliseconds(unsettled.TieringMilliseconds)} of CPU. "
                + "Code not yet optimised costs more CPU per request and time than it will in a warm process, so the first trial may read as a regression. Raise LoadOptions.MaxWarmup, or run a shorter scenario over the same routes first.";
        }

        static bool Agree(double a, double b, double within) => a > 0 && b > 0 && Math.Abs(a - b) / Math.Max(a, b) <= within;
        static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b < TimeSpan.Zero ? TimeSpan.Zero : b;
    }

    /// <summary>The longest pause of the load in one go while the JIT catches up.</summary>
    private static readonly TimeSpan TieringPause = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Pauses the load while the runtime's tiered-compilation thread keeps busy (more than 10 ms of CPU in 100 ms), up
    /// to <paramref name="limit"/>. Under full load that thread competes with every worker for the cores: on 2 cores
    /// it got 15-30% of one, and a route first run in a process was still being optimised 35 s later. Between slices it
    /// gets a core to itself and compiles the methods the last slice made hot.
    /// </summary>
    private async Task LetTheJitCatchUpAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var before = ThreadSchedule.Read();
        while (_time.GetElapsedTime(started) + JitPoll <= limit)
        {
            await Task.Delay(JitPoll, _time, cancellationToken).ConfigureAwait(false);
            var now = ThreadSchedule.Read();
            if (ThreadSchedule.Between(before, now) is not { } between || between.TieringCpu < JitPoll / 10)
            {
                return;
            }

            before = now;
        }
    }

    private static readonly TimeSpan JitPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>One warm-up slice: requests completed, their p95, this process's CPU per request, the tiering thread's CPU and whether it was idle.</summary>
    private readonly record struct Slice(long Count, double P95, double CpuPerRequest, double TieringMilliseconds, bool TieringQuiet);

    private (long Count, double P95) Signature(WorkerRecorder[] recorders)
    {
        var all = Histograms.Create(_options.HistogramSignificantDigits);
        foreach (var (_, recorder) in recorders.SelectMany(r => r.Steps))
        {
            all.Add(recorder.Latency);
        }

        return (all.TotalCount, all.TotalCount == 0 ? 0 : all.GetValueAtPercentile(95));
    }

    private async Task<LoadReport> MeasureAsync(VirtualUser[] users, MixAbort abort, CancellationToken cancellationToken)
    {
        var open = _profile as OpenLoadProfile;
        var closed = _profile as ClosedLoadProfile;
        var allocations = new GeneratorAllocations();
        var windows = new SampleWindows();
        var deadline = _profile.Duration ?? _options.MaxDuration;
        // Runtime health and the timeline's CPU and GC are per second of wall time: under an injected clock they mean nothing.
        WorkerRecorder[]? workers = null;
        var interval = TimelineRecorder.For(_options.TimelineInterval, deadline);
        TimelineRecorder? timeline = null;
        timeline = _time == TimeProvider.System
            ? new TimelineRecorder(_scenario.Steps.Select(s => s.Name).ToArray(), interval, _time, () => workers?.Sum(r => r.Iterations) ?? 0, closed is null ? _ => null : offset => closed.Schedule.LevelAt(offset), allocations)
            {
                IntervalClosed = Both(ProgressReporter(trial: _trials + 1, interval), AbortWatch(abort, () => timeline)),
            }
            : null;
        var recorders = workers = CreateRecorders(users.Length, separateServiceTime: open is not null, allocations, windows, timeline);
        var measureMemory = _options.MeasureMemory == true && _time == TimeProvider.System;
        var sampler = _time == TimeProvider.System ? new RuntimeSampler(_time, _options.RuntimeSampleInterval, () => recorders.Sum(r => r.Completed), recorders, allocations, windows) { TrackWorkingSet = measureMemory } : null;
        // Everything the runner keeps for this trial exists by now, so the heap's growth from here is the app's.
        var heapBefore = measureMemory ? ManagedHeap.LiveBytesAfterFullCollection() : 0;
        var startedAt = _time.GetUtcNow();
        var start = _time.GetTimestamp();
        using var samplerStop = new CancellationTokenSource();
        var sampling = sampler?.RunAsync(samplerStop.Token) ?? Task.CompletedTask;
        var leakSampler = _options.LeakSampleInterval is { } every && _time == TimeProvider.System ? new ResourceSampler(_time, every, () => recorders.Sum(r => r.Completed)) : null;
        var leakSampling = leakSampler?.RunAsync(samplerStop.Token) ?? Task.CompletedTask;
        var intervals = timeline?.RunAsync(samplerStop.Token) ?? Task.CompletedTask;

        var phase = await RunPhaseAsync(
            users,
            recorders,
            deadline,
            _options.GracefulStop,
            closed: closed is null ? null : (closed.Schedule, closed.IterationsPerUser, closed.IterationsShared),
            open: open?.Schedule,
            measured: true,
            cancellationToken,
            abort.Signal).ConfigureAwait(false);

        var measured = _time.GetElapsedTime(start);
        sampler?.TakeSample();
        await samplerStop.CancelAsync().ConfigureAwait(false);
        await sampling.ConfigureAwait(false);
        await intervals.ConfigureAwait(false);
        await leakSampling.ConfigureAwait(false);
        var resourceSamples = leakSampler?.Finish();
        var timelineOfRun = timeline?.Finish();
        cancellationToken.ThrowIfCancellationRequested();
        var heapAfter = measureMemory ? ManagedHeap.LiveBytesAfterFullCollection() : 0;

        // Throughput counts every request completed, including those finishing in the graceful stop, so it
        // is computed over the wall time actually measured, not the planned duration.
        var duration = measured;
        Func<TimeSpan, bool> loadExpected = closed is not null
            ? offset => closed.Schedule.LevelAt(offset) >= 1
            : _ => true;
        var runtime = sampler?.Summarise(measured, loadExpected, open is not null, _options.RuntimeSampleInterval);
        // Iterations due within the lateness tolerance of the end may legitimately still be waiting for
        // their timer when the run stops; they are not counted as dropped.
        var dropped = open is null ? 0 : Math.Max(0, open.Schedule.CountBefore(deadline - _options.LateStartTolerance) - phase.Started);
        var routes = MergeRoutes(recorders, duration);
        var metrics = MergeMetrics(recorders, duration);
        var warnings = new List<string>(runtime?.Warnings() ?? []);
        AddRunWarnings(warnings, phase, dropped, recorders.Sum(r => r.Iterations));
        if (_warmupWarning is { } unsettled)
        {
            warnings.Add(unsettled); // the first trial only: later ones run on the code the JIT went on to optimise
            _warmupWarning = null;
        }

        if (closed?.IterationsPerUser is { } perUser && (long)perUser * closed.MaxConcurrency is var planned && phase.Started < planned)
        {
            warnings.Add($"Only {Formatting.Count(phase.Started)} of the {Formatting.Count(planned)} iterations planned ({ClosedLoadProfile.Users(closed.MaxConcurrency)} × {Formatting.Count(perUser)}) started: "
                + $"LoadOptions.MaxDuration ({Formatting.Duration(_options.MaxDuration)}) ended the run first, so the figures describe its first {Formatting.Duration(measured)} only. Raise MaxDuration or plan fewer iterations.");
        }

        if (closed?.IterationsShared is { } shared && phase.Started < shared)
        {
            warnings.Add($"Only {Formatting.Count(phase.Started)} of the {Formatting.Count(shared)} shared iterations started: "
                + $"LoadOptions.MaxDuration ({Formatting.Duration(_options.MaxDuration)}) ended the run first, so the figures describe its first {Formatting.Duration(measured)} only. Raise MaxDuration or share fewer iterations.");
        }

        if (open is not null && PacingFloor(recorders, routes[0]) is { } floor)
        {
            warnings.Add(floor);
        }

        if (closed is not null && GeneratorLag(closed.Schedule, recorders, measured) is { } lag)
        {
            warnings.Add(lag);
        }
        return new LoadReport(
            _scenario.Name,
            _target.Description,
            _profile.Description,
            open is not null,
            _profile.MaxConcurrency,
            startedAt,
            duration,
            recorders.Sum(r => r.Iterations),
            dropped,
            phase.DelayedStarts,
            phase.Interrupted,
            routes,
            metrics,
            runtime,
            warnings)
        {
            Timeline = timelineOfRun,
            ResourceSamples = resourceSamples,
            Recovery = _profile.Disturbance is { } disturbance ? LoadRecovery.Read(timelineOfRun, disturbance.Start, disturbance.End) : null,
            Memory = measureMemory ? new MemoryUsage(heapBefore, heapAfter, heapAfter - heapBefore, sampler?.WorkingSetPeak, routes.Sum(r => r.Count)) : null,
            Aborted = abort.Reason,
            RanWith = _ranWith,
        };
    }

    private static Action<TimelineInterval>? Both(Action<TimelineInterval>? first, Action<TimelineInterval>? second)
        => first is null ? second : second is null ? first : interval => { first(interval); second(interval); };

    /// <summary>
    /// After each timeline interval closes, hands the run so far (each route's latency and errors from the start) to
    /// the abort check, and ends the measurement of the whole mix when it names a reason. Null without a check.
    /// </summary>
    private Action<TimelineInterval>? AbortWatch(MixAbort abort, Func<TimelineRecorder?> timeline)
    {
        if (_abortCheck is not { } check)
        {
            return null;
        }

        return interval =>
        {
            if (abort.Aborted || timeline() is not { } recorder)
            {
                return;
            }

            var elapsed = TimeSpan.FromSeconds(interval.StartSeconds + interval.Seconds);
            var routes = recorder.SoFar(_options.HistogramSignificantDigits).Select((r, i) =>
            {
                var failed = Histograms.Create(_options.HistogramSignificantDigits);
                if (r.Errors > 0)
                {
                    failed.RecordValueWithCount(1, r.Errors);
                }

                return WithStepLabels(new RouteStatistics(r.Route, new LatencyDistribution(r.Latency), null, r.Errors, new Dictionary<string, long>(), [], elapsed, new LatencyDistribution(failed)), _scenario.Steps[i]);
            }).ToArray();
            var soFar = new LoadReport(_scenario.Name, _target.Description, _profile.Description, _profile.IsOpenModel, _profile.MaxConcurrency, _time.GetUtcNow() - elapsed, elapsed, 0, 0, 0, 0, routes, [], null, []);
            string? reason;
            try
            {
                reason = check(soFar);
            }
#pragma warning disable CA1031 // A check that cannot decide does not abort the run; the budgets decide after it.
            catch (Exception)
#pragma warning restore CA1031
            {
                reason = null;
            }

            if (reason is not null)
            {
                abort.Abort(new LoadAbort(_scenario.Name, elapsed, _profile.Duration, reason));
            }
        };
    }

    /// <summary>
    /// Reports progress every <see cref="LoadOptions.ProgressInterval"/> from the timeline's intervals: requests and
    /// errors so far, the load, and the slowest route's p95 over the last interval. Null when nobody listens.
    /// </summary>
    private Action<TimelineInterval>? ProgressReporter(int trial, TimeSpan timelineInterval)
    {
        if (_progress is not { } report || _options.ProgressInterval <= TimeSpan.Zero)
        {
            return null;
        }

        // Counted in intervals, not read from their times: the timer may close one a millisecond early.
        var every = Math.Max(1, (int)Math.Round(_options.ProgressInterval / timelineInterval));
        long requests = 0, errors = 0, closed = 0;
        return interval =>
        {
            requests += interval.Requests;
            errors += interval.Errors;
            if (++closed % every != 0)
            {
                return;
            }

            var end = interval.StartSeconds + interval.Seconds;
            var p95 = interval.Routes.Where(r => r.Requests > r.Errors).Select(r => (double?)r.P95).Max();
            report(new LoadProgress(_scenario.Name, trial, TimeSpan.FromSeconds(end), interval.Users, interval.Seconds > 0 ? interval.Iterations / interval.Seconds : 0, requests, errors, p95));
        };
    }

    private void AddRunWarnings(List<string> warnings, PhaseResult phase, long dropped, long iterations)
    {
        if (dropped > 0)
        {
            warnings.Add($"{Formatting.Count(dropped)} iterations were dropped: they were due before the end but never started, because all {_profile.MaxConcurrency} slots were busy or the generator fell behind the schedule. "
                + "Raise maxConcurrency if the system is slow, lower the rate, or look at the runtime warnings if the generator is starved.");
        }

        var started = Math.Max(phase.Started, 1);
        if (phase.DelayedStarts > 0 && (double)phase.DelayedStarts / started >= 0.01)
        {
            warnings.Add($"{Formatting.Count(phase.DelayedStarts)} of {Formatting.Count(phase.Started)} iterations ({Formatting.Percent((double)phase.DelayedStarts / started)}) started more than {Formatting.Duration(_options.LateStartTolerance)} late "
                + "because every slot was busy or the generator was slow; their latency includes the delay, as an arriving user would see it.");
        }

        if (phase.Interrupted > 0)
        {
            warnings.Add($"{Formatting.Count(phase.Interrupted)} iterations were still running after the graceful stop of {Formatting.Duration(_options.GracefulStop)} and were cancelled; "
                + "their requests are not in the latency figures. If the system hangs, fix it; otherwise lengthen LoadOptions.GracefulStop.");
        }

        if (phase.Abandoned)
        {
            warnings.Add($"Some virtual users did not stop within {Formatting.Duration(AbandonAfter)} of being cancelled and were abandoned; a step ignores cancellation or blocks a thread.");
        }

        if (iterations == 0)
        {
            warnings.Add("No iteration completed: the run measured nothing. Check that the profile is long enough for one iteration and that the steps return.");
        }
    }

    /// <summary>
    /// Little's law for the closed model: active users × time should be spent in steps or think time. When
    /// less than half is, users waited for this process (client-side queueing) between requests: the
    /// generator, not the system, set the pace, and that wait is in no latency figure.
    /// </summary>
    private static string? GeneratorLag(StageSchedule schedule, WorkerRecorder[] recorders, TimeSpan measured)
    {
        const int Points = 200;
        double userSeconds = 0;
        for (var i = 0; i < Points; i++)
        {
            userSeconds += Math.Floor(schedule.LevelAt(measured * ((i + 0.5) / Points)) + 1e-9) * measured.TotalSeconds / Points;
        }

        var accounted = recorders.Sum(r => r.BusyMicroseconds + r.ThinkMicroseconds) / 1e6;
        if (userSeconds < 1 || accounted >= userSeconds * 0.5)
        {
            return null;
        }

        return $"Generator lag: virtual users spent {Formatting.Percent(accounted / userSeconds)} of their active time in requests or think time; the rest they waited for a thread of this process between requests. "
            + "The generator, not the system, set the pace, and that wait is in no latency figure. Use fewer users or add think time, or target a server in another process (LoadTarget.Kestrel / PERF_BASE_URL).";
    }

    /// <summary>
    /// The open model measures latency from each iteration's intended start, so the generator's own pacing (how late
    /// its timers wake: about a millisecond or more on a busy machine) is part of every figure. When that lateness is a
    /// sizeable part of the first route's p95, the route is faster than the generator can resolve: say so, with the
    /// floor, rather than let p95 silently measure the timer.
    /// </summary>
    private string? PacingFloor(WorkerRecorder[] recorders, RouteStatistics first)
    {
        var lags = Histograms.Create(_options.HistogramSignificantDigits);
        foreach (var recorder in recorders)
        {
            if (recorder.StartLag is { } lag)
            {
                lags.Add(lag);
            }
        }

        if (lags.TotalCount < 20 || first.Latency.Count == 0)
        {
            return null;
        }

        var pacing = new LatencyDistribution(lags);
        if (pacing.P95 < first.Latency.P95 * 0.25)
        {
            return null;
        }

        return $"Pacing floor: iterations started a median {Formatting.Milliseconds(pacing.P50)} and a p95 {Formatting.Milliseconds(pacing.P95)} after their intended time (the generator's timer resolution on this machine). "
            + $"Latency from the intended start includes that lateness, so route '{first.Name}' (p95 {Formatting.Milliseconds(first.Latency.P95)}, service time p95 {Formatting.Milliseconds(first.ServiceTime?.P95 ?? double.NaN)}) is measured near the floor of what this generator can resolve: "
            + "changes smaller than the floor do not show. Budget the service time, or use the closed model for routes this fast.";
    }

    private WorkerRecorder[] CreateRecorders(int count, bool separateServiceTime, GeneratorAllocations? allocations = null, SampleWindows? windows = null, TimelineRecorder? timeline = null)
    {
        var recorders = new WorkerRecorder[count];
        for (var i = 0; i < count; i++)
        {
            recorders[i] = new WorkerRecorder(_scenario, _options.HistogramSignificantDigits, separateServiceTime, allocations, windows, timeline);
        }

        return recorders;
    }

    private async Task<PhaseResult> RunPhaseAsync(
        VirtualUser[] users,
        WorkerRecorder[] recorders,
        TimeSpan deadline,
        TimeSpan gracefulStop,
        (StageSchedule Schedule, int? IterationsPerUser, long? SharedIterations)? closed,
        ArrivalSchedule? open,
        bool measured,
        CancellationToken cancellationToken,
        CancellationToken endEarly = default)
    {
        await ReplaceAbandonedUsersAsync(users, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < users.Length; i++)
        {
            users[i].Metrics = measured ? recorders[i].Metrics : CustomMetrics.Discarding;
            users[i].IsWarmingUp = !measured;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var hard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var state = new PhaseState(_time.GetTimestamp(), deadline, measured, stop.Token, hard.Token);
        var workers = new Task[users.Length];
        var all = Task.CompletedTask;
        try
        {
            for (var k = 0; k < users.Length; k++)
            {
                var worker = k;
                workers[k] = Task.Run(() => WorkerAsync(worker, users[worker], recorders[worker], state, closed?.Schedule, closed?.IterationsPerUser, closed?.SharedIterations, open), CancellationToken.None);
            }

            all = Task.WhenAll(workers);
            using (var early = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, endEarly))
            {
                await WaitAsync(all, deadline, early.Token).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await WaitAsync(all, gracefulStop, CancellationToken.None).ConfigureAwait(false);
            await hard.CancelAsync().ConfigureAwait(false);
            await WaitAsync(all, AbandonAfter, CancellationToken.None).ConfigureAwait(false);
            if (all.IsFaulted)
            {
                // A worker fault is a bug in the runner, never the system under test (those are recorded as errors).
                await all.ConfigureAwait(false);
            }
        }
        finally
        {
            Volatile.Write(ref state.Over, true);
            // Whatever ends the phase (a throw included), its workers are told to stop before their sources are disposed:
            // a disposed source never cancels, so a worker polling it would run, and load the machine, for ever.
            if (!all.IsCompleted || workers.Any(w => w is null || !w.IsCompleted))
            {
#pragma warning disable CA1849 // Cancel synchronously in a finally: the phase is ending, possibly by an exception.
                stop.Cancel();
                hard.Cancel();
#pragma warning restore CA1849
            }
        }

        _abandoned = workers.Select((worker, user) => (user, worker)).Where(w => !w.worker.IsCompleted).ToList();
        return new PhaseResult(
            Interlocked.Read(ref state.Started),
            Interlocked.Read(ref state.DelayedStarts),
            Interlocked.Read(ref state.Interrupted),
            Abandoned: _abandoned.Count > 0);
    }

    private async Task WaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (task.IsCompleted)
        {
            return;
        }

        try
        {
            await task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The phase's time is up; the caller escalates.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The test was cancelled; the caller stops the workers.
        }
    }

    /// <summary>
    /// One worker (a virtual user, or an open-model slot) for the whole phase. The hot path lives in this
    /// single async method, so a request costs what a bare <see cref="HttpClient"/> loop costs plus two
    /// timestamps and two histogram writes: no per-iteration or per-step state machines.
    /// </summary>
    private async Task WorkerAsync(int index, VirtualUser user, WorkerRecorder recorder, PhaseState state, StageSchedule? closed, int? iterationsPerUser, long? sharedIterations, ArrivalSchedule? open)
    {
        var steps = _scenario.Steps as ScenarioStep[] ?? _scenario.Steps.ToArray();
        var thinkTime = _scenario.ThinkTime;
        var toleranceTicks = (long)(_options.LateStartTolerance.TotalSeconds * _time.TimestampFrequency);
        while (!state.Stop.IsCancellationRequested)
        {
            long? intendedStart = null;
            if (open is not null)
            {
                var next = Interlocked.Increment(ref state.NextIndex) - 1;
                if (open.OffsetOf(next) is not { } intended || intended >= state.Deadline)
                {
                    return;
                }

                var now = _time.GetElapsedTime(state.Start);
                if (intended > now && !await DelayAsync(intended - now, state.Stop).ConfigureAwait(false))
                {
                    return;
                }

                if (state.Stop.IsCancellationRequested || _time.GetElapsedTime(state.Start) >= state.Deadline)
                {
                    return;
                }

                intendedStart = state.Start + (long)(intended.TotalSeconds * _time.TimestampFrequency);
                var lag = _time.GetTimestamp() - intendedStart.Value;
                recorder.RecordStartLag(ToMicroseconds(lag));
                if (lag > toleranceTicks)
                {
                    Interlocked.Increment(ref state.DelayedStarts);
                }
            }
            else
            {
                if (iterationsPerUser is { } limit && user.Iteration >= limit)
                {
                    return;
                }

                if (sharedIterations is { } total && Interlocked.Increment(ref state.Claimed) > total)
                {
                    return;
                }

                var offset = _time.GetElapsedTime(state.Start);
                if (offset >= state.Deadline)
                {
                    // No iteration starts after the deadline, even before the stop signal reaches this worker.
                    return;
                }

                if (!closed!.IsActive(index, offset))
                {
                    if (closed.NextActive(index, offset, state.Deadline) is not { } active || !await DelayAsync(active - offset, state.Stop).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }
            }

            Interlocked.Increment(ref state.Started);
            user.Iteration++;
            var suspended = false;
            var result = IterationResult.Completed;
            for (var i = 0; i < steps.Length; i++)
            {
                if (state.Hard.IsCancellationRequested)
                {
                    // The phase is over (this worker may have been abandoned in a step that ignored cancellation):
                    // no further step starts, so no work outlives the run.
                    result = IterationResult.Interrupted;
                    break;
                }

                var step = steps[i];
                var start = _time.GetTimestamp();
                StepOutcome outcome;
                long responseBytes = 0;
                if (step.Request is { } createRequest)
                {
                    HttpRequestMessage? request = null;
                    HttpResponseMessage? response = null;
                    var traceId = default(System.Diagnostics.ActivityTraceId);
                    var awaitingResponse = false;
                    try
                    {
                        request = createRequest(user);
                        user.Aim(request);
                        if (_observers.Length > 0)
                        {
                            (traceId, var traceParent) = RequestObservers.NewTrace();
                            request.Headers.Remove("traceparent");
                            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
                            foreach (var observer in _observers)
                            {
                                observer.RequestStarting(traceId);
                            }
                        }

                        awaitingResponse = true;
                        var sending = user.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, state.Hard);
                        suspended |= !sending.IsCompleted;
                        response = await sending.ConfigureAwait(false);
                        awaitingResponse = false;
                        // The body is buffered (ResponseContentRead): its length is known without a header.
                        responseBytes = response.Content.Headers.ContentLength ?? 0;
                        outcome = step.CheckList.Length == 0
                            ? StatusOutcome(response.StatusCode)
                            : await CheckAsync(step.CheckList, response, state.Hard).ConfigureAwait(false);
                    }
#pragma warning disable CA1031 // Any exception from the system under test is a recorded error, never a crash of the run.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        if (ex is OperationCanceledException && state.Hard.IsCancellationRequested)
                        {
                            result = IterationResult.Interrupted;
                            break;
                        }

                        outcome = new StepOutcome(awaitingResponse && _appExceptionsReachClient && IsAppException(ex) ? AppExceptionKind(ex) : ErrorKind(ex), null);
                    }
                    finally
                    {
                        response?.Dispose();
                        request?.Dispose();
                        foreach (var observer in _observers)
                        {
                            observer.RequestCompleted(step.Name, traceId, state.Measured);
                        }
                    }
                }
                else
                {
                    var running = RunActionAsync(step.Action!, user, state.Hard);
                    suspended |= !running.IsCompleted;
                    if (await running.ConfigureAwait(false) is not { } actionOutcome)
                    {
                        result = IterationResult.Interrupted;
                        break;
                    }

                    outcome = actionOutcome;
                }

                if (Volatile.Read(ref state.Over))
                {
                    // Finished after the phase was over (this worker was abandoned): it belongs to no measurement.
                    result = IterationResult.Interrupted;
                    break;
                }

                var end = _time.GetTimestamp();
                // From the intended start, or from the actual one when a timer fired early: latency is never below service time.
                var from = i == 0 && intendedStart is { } due ? Math.Min(due, start) : start;
                recorder.Record(i, ToMicroseconds(end - from), ToMicroseconds(end - start), outcome, responseBytes);
                recorder.MarkCompletion(end);
                recorder.BusyMicroseconds += ToMicroseconds(end - start);

                if (!thinkTime.IsNone)
                {
                    suspended = true;
                    var thinking = _time.GetTimestamp();
                    var thought = await DelayAsync(thinkTime.Next(user.Random), state.Stop).ConfigureAwait(false);
                    recorder.ThinkMicroseconds += ToMicroseconds(_time.GetTimestamp() - thinking);
                    if (!thought)
                    {
                        // The profile ended while this user was thinking: the iteration stops here, like k6's
                        // sleep at the end of a stage. Its completed steps are recorded; it is not an interruption.
                        result = IterationResult.Stopped;
                        break;
                    }
                }
            }

            if (result == IterationResult.Interrupted)
            {
                Interlocked.Increment(ref state.Interrupted);
                return;
            }

            if (result == IterationResult.Completed)
            {
                recorder.Iterations++;
            }

            if (!suspended)
            {
                // An iteration that never waited would keep this thread forever; let other users and the
                // run's timers take their turn.
                await Task.Yield();
            }
        }
    }

    private static StepOutcome StatusOutcome(System.Net.HttpStatusCode status)
        => (int)status < 400 ? StepOutcome.Success : new StepOutcome(StatusKinds.Of((int)status), null);

    private static async ValueTask<StepOutcome> CheckAsync(Check[] checks, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var view = new StepResponse(response.StatusCode, response, body);
        var error = Check.StatusError((int)response.StatusCode, checks);
        var results = new bool[checks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            var passed = checks[i].Passes(view);
            results[i] = passed;
            if (!passed && error is null)
            {
                error = $"check '{checks[i].Name}'";
            }
        }

        return new StepOutcome(error, results);
    }

    /// <summary>Runs a code step with the request timeout; <see langword="null"/> when the run cancelled it.</summary>
    private async ValueTask<StepOutcome?> RunActionAsync(Func<VirtualUser, CancellationToken, Task> action, VirtualUser user, CancellationToken hard)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(hard, timeout.Token);
        try
        {
            await action(user, linked.Token).ConfigureAwait(false);
            return StepOutcome.Success;
        }
        catch (OperationCanceledException) when (hard.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // Any exception from the system under test is a recorded error, never a crash of the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new StepOutcome(ErrorKind(ex), null);
        }
    }

    /// <summary>
    /// An in-memory TestServer hands the app's unhandled exception to the client, where a real server answers 500.
    /// Both are classified <c>HTTP 500</c>, as a user of the deployed app sees it, so a route's error kinds (and its
    /// baseline) do not depend on the target; the exception's type is in the app's own logs.
    /// </summary>
    private static bool IsAppException(Exception exception)
        => exception is not (OperationCanceledException or HttpRequestException or ObjectDisposedException or InvalidStepException);

    /// <summary>
    /// <c>HTTP 500</c>, with the cause a registered classifier recognises in the exception where the target lets us see it
    /// (e.g. <c>HTTP 500 (database unreachable)</c> in memory; over a socket the client sees the status alone).
    /// </summary>
    private static string AppExceptionKind(Exception exception)
        => ErrorClassifiers.Classify(exception) is { } cause ? $"{StatusKinds.Of(500)} ({cause})" : StatusKinds.Of(500);

    private static string ErrorKind(Exception exception) => exception switch
    {
        OperationCanceledException => "timeout",
        InvalidStepException invalid => invalid.Kind,
        HttpRequestException { HttpRequestError: HttpRequestError.Unknown } => "exception HttpRequestException",
        HttpRequestException http => $"exception HttpRequestException ({http.HttpRequestError})",
        _ => ErrorClassifiers.Classify(exception) ?? "exception " + exception.GetType().Name,
    };

    /// <summary>Waits, unless stopped first; returns whether the full time passed.</summary>
    private async ValueTask<bool> DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        if (delay <= TimeSpan.Zero)
        {
            return !stop.IsCancellationRequested;
        }

        try
        {
            await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private long ToMicroseconds(long ticks) => (long)(ticks * _microsecondsPerTick);

    private RouteStatistics[] MergeRoutes(WorkerRecorder[] recorders, TimeSpan duration)
    {
        var routes = new RouteStatistics[_scenario.Steps.Count];
        for (var i = 0; i < routes.Length; i++)
        {
            var step = _scenario.Steps[i];
            var parts = recorders.SelectMany(r => r.Steps).Where(s => s.Step == i).Select(s => s.Recorder).ToArray();
            var latency = Histograms.Create(_options.HistogramSignificantDigits);
            var failed = Histograms.Create(_options.HistogramSignificantDigits);
            HistogramBase? service = _profile.IsOpenModel ? Histograms.Create(_options.HistogramSignificantDigits) : null;
            var errors = new Dictionary<string, long>(StringComparer.Ordinal);
            var passes = new long[step.Checks.Count];
            var failures = new long[step.Checks.Count];
            long errorCount = 0;
            long responseBytes = 0;
            foreach (var part in parts)
            {
                responseBytes += part.ResponseBytes;
                latency.Add(part.Latency);
                if (part.FailedLatency is { } f)
                {
                    failed.Add(f);
                }

                if (part.ServiceTime is { } s)
                {
                    service?.Add(s);
                }

                errorCount += part.Errors;
                foreach (var (kind, count) in part.ErrorsByKind)
                {
                    errors[kind] = errors.GetValueOrDefault(kind) + count;
                }

                for (var c = 0; c < passes.Length; c++)
                {
                    passes[c] += part.CheckPasses[c];
                    failures[c] += part.CheckFailures[c];
                }
            }

            var checks = step.Checks.Select((c, index) => new CheckStatistics(c.Name, passes[index], failures[index])).ToArray();
            routes[i] = WithStepLabels(
                new RouteStatistics(step.Name, new LatencyDistribution(latency), service is null ? null : new LatencyDistribution(service), errorCount, errors, checks, duration, new LatencyDistribution(failed))
                {
                    ResponseBytes = step.Request is null ? null : responseBytes,
                },
                step);
        }

        return routes;
    }

    /// <summary>The step's group and tags, with the implicit <c>scenario</c> tag, on its route's statistics.</summary>
    private RouteStatistics WithStepLabels(RouteStatistics route, ScenarioStep step)
    {
        route.Group = step.Group;
        route.Tags = step.TagsWith(_scenario);
        return route;
    }

    private CustomMetricSummary[] MergeMetrics(WorkerRecorder[] recorders, TimeSpan duration)
    {
        var result = new List<CustomMetricSummary>();
        foreach (var name in recorders.SelectMany(r => r.Metrics.Trends.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var merged = Histograms.Create(_options.HistogramSignificantDigits);
            foreach (var r in recorders)
            {
                if (r.Metrics.Trends.TryGetValue(name, out var h))
                {
                    merged.Add(h);
                }
            }

            result.Add(new CustomMetricSummary(name, CustomMetricKind.Trend, new LatencyDistribution(merged), 0, 0, 0, duration));
        }

        foreach (var name in recorders.SelectMany(r => r.Metrics.Rates.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var values = recorders.Select(r => r.Metrics.Rates.GetValueOrDefault(name)).ToArray();
            result.Add(new CustomMetricSummary(name, CustomMetricKind.Rate, null, values.Sum(v => v.True), values.Sum(v => v.Total), 0, duration));
        }

        foreach (var name in recorders.SelectMany(r => r.Metrics.Counters.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            result.Add(new CustomMetricSummary(name, CustomMetricKind.Counter, null, 0, 0, recorders.Sum(r => r.Metrics.Counters.GetValueOrDefault(name)), duration));
        }

        return result.ToArray();
    }

    /// <summary>
    /// The abort of a run (one scenario, or every part of a mix): the first reason given ends the measured phase of
    /// every part at once, and no further trial runs.
    /// </summary>
    private sealed class MixAbort : IDisposable
    {
        private readonly CancellationTokenSource _signal = new();
        private LoadAbort? _reason;

        public CancellationToken Signal => _signal.Token;

        public bool Aborted => Volatile.Read(ref _reason) is not null;

        public LoadAbort? Reason => Volatile.Read(ref _reason);

        public void Abort(LoadAbort reason)
        {
            if (Interlocked.CompareExchange(ref _reason, reason, null) is null)
            {
                _signal.Cancel();
            }
        }

        public void Dispose() => _signal.Dispose();
    }

    private enum IterationResult
    {
        Completed,
        Stopped,
        Interrupted,
    }

    private readonly record struct PhaseResult(long Started, long DelayedStarts, long Interrupted, bool Abandoned);

    private sealed class PhaseState(long start, TimeSpan deadline, bool measured, CancellationToken stop, CancellationToken hard)
    {
        public bool Measured { get; } = measured;

        public long Start { get; } = start;

        public TimeSpan Deadline { get; } = deadline;

        public CancellationToken Stop { get; } = stop;

        public CancellationToken Hard { get; } = hard;

#pragma warning disable SA1401, CA1051 // Counters updated with Interlocked need to be fields.
        public long NextIndex;
        public long Claimed;
        public long Started;
        public long DelayedStarts;
        public long Interrupted;
        public bool Over;
#pragma warning restore SA1401, CA1051
    }
}
