namespace PerfRegression.Engine;

/// <summary>
/// What surrounds the load runs that <see cref="Load.RunAsync(ILoadTarget, Scenario, LoadProfile, LoadOptions?, CancellationToken)"/>
/// starts in an async flow: the test's cancellation, who plans each run's trials, and who receives its reports and
/// writes its summary. A test session provides it; the load engine itself knows no test framework.
/// </summary>
public interface ILoadRunContext
{
    /// <summary>Cancels every run of the context, e.g. when the test is cancelled or times out.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>A run of <paramref name="scenario"/> is about to start.</summary>
    /// <returns>The planner of its trials, or <see langword="null"/> for one trial.</returns>
    /// <exception cref="PerfConfigurationException">The run cannot be part of this context (e.g. its scenario already ran).</exception>
    ITrialPlanner? RunStarting(Scenario scenario);

    /// <summary>A run finished: its <paramref name="trials"/> and their exact merge, <paramref name="report"/>.</summary>
    void RunCompleted(Scenario scenario, IReadOnlyList<LoadReport> trials, LoadReport report);

    /// <summary>
    /// Where a running trial stands, every <see cref="LoadOptions.ProgressInterval"/> (real clock only). Ignored unless
    /// implemented; the test framework's contexts write it to the test's output.
    /// </summary>
    void Progress(LoadProgress progress)
    {
    }

    /// <summary>
    /// A capacity search finished (<c>Capacity.FindAsync</c>): its steps are not load runs of the test (they break the
    /// budgets by design), but what it found is part of the test's verdict. Ignored unless implemented.
    /// </summary>
    void CapacityFound(CapacityReport report)
    {
    }

    /// <summary>
    /// A micro-benchmark finished (<c>MicroBenchmark.RunAsync</c> of PerfRegression.BenchmarkDotNet): what it measured is
    /// part of the test's verdict, judged by its micro-benchmark budgets and baseline. Ignored unless implemented.
    /// </summary>
    void MicroBenchmarkFound(MicroBenchmarkResult result)
    {
    }

    /// <summary>
    /// A run of <paramref name="scenario"/> is about to start: the check that reads the run so far after each timeline
    /// interval (real clock only) and names why to end it now, or returns <see langword="null"/> to go on (abort-on-fail
    /// budgets). <see langword="null"/> (the default) for none.
    /// </summary>
    Func<LoadReport, string?>? AbortCheck(Scenario scenario) => null;

    /// <summary>
    /// Before a run starts, on its own copy of the options: the context asks for the measurements its checks will
    /// need where the test left them unset (a memory budget sets <see cref="LoadOptions.MeasureMemory"/>, a leak check
    /// <see cref="LoadOptions.LeakSampleInterval"/>). Does nothing unless implemented.
    /// </summary>
    void Prepare(LoadOptions options)
    {
    }
}

/// <summary>The <see cref="ILoadRunContext"/> of the current async flow.</summary>
public static class LoadRunContext
{
    private static readonly AsyncLocal<ILoadRunContext?> Ambient = new();

    /// <summary>The context of this async flow: the one in use, else the test framework's default, else <see langword="null"/>.</summary>
    public static ILoadRunContext? Current => Ambient.Value ?? Default;

    /// <summary>The context set with <see cref="Use"/> in this async flow, ignoring the default.</summary>
    internal static ILoadRunContext? InUse => Ambient.Value;

    /// <summary>
    /// The context outside any session: the xUnit adapter's, which writes each run's summary to the current test's
    /// output and honours its cancellation. Set once, when the library loads.
    /// </summary>
    internal static ILoadRunContext? Default { get; set; }

    /// <summary>Makes <paramref name="context"/> the context of this async flow until the returned scope is disposed.</summary>
    public static IDisposable Use(ILoadRunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var previous = Ambient.Value;
        Ambient.Value = context;
        return new Scope(previous);
    }

    private sealed class Scope(ILoadRunContext? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
