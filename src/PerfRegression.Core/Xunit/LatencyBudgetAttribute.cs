using PerfRegression.Session;

namespace PerfRegression;

/// <summary>
/// Absolute performance budgets for an xUnit v3 test: <c>[Fact, LatencyBudget(p95: 500)]</c>. Every load
/// run in the test body is checked after the body, against the budgets and against the test's committed
/// baseline (see <see cref="RegressionGateAttribute"/>); everything broken is listed in one sectioned
/// failure message, and a test that recorded no load fails. Latencies are in milliseconds.
/// Allowed several times and on a class (then it applies to each test). Adds the trait
/// <c>Category=Performance</c>, so <c>dotnet test --filter Category=Performance</c> selects these tests.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class LatencyBudgetAttribute : PerfCheckAttribute
{
    // A value no one writes by hand; every real value, including NaN and negatives, is validated.
    private const double Unset = double.MinValue;

    private readonly double _p50;
    private readonly double _p90;
    private readonly double _p95;
    private readonly double _p99;
    private readonly double _max;
    private double? _errorRate;
    private double? _minThroughput;

    /// <summary>Budgets in milliseconds; give only those you need, e.g. <c>[LatencyBudget(p95: 500, p99: 1200)]</c>.</summary>
    /// <param name="p50">Median latency at most this many milliseconds.</param>
    /// <param name="p90">90th-percentile latency at most this many milliseconds.</param>
    /// <param name="p95">95th-percentile latency at most this many milliseconds.</param>
    /// <param name="p99">99th-percentile latency at most this many milliseconds.</param>
    /// <param name="max">Largest latency at most this many milliseconds.</param>
    public LatencyBudgetAttribute(double p50 = Unset, double p90 = Unset, double p95 = Unset, double p99 = Unset, double max = Unset)
    {
        _p50 = p50;
        _p90 = p90;
        _p95 = p95;
        _p99 = p99;
        _max = max;
    }

    /// <summary>The route (scenario step name) the budgets apply to. Unset: all routes together.</summary>
    public string? Route { get; set; }

    /// <summary>
    /// The tag the budgets apply to, <c>key:value</c> (k6's <c>http_req_duration{kind:payment}</c>): every route carrying
    /// it, together, across the test's scenarios; <c>scenario:&lt;name&gt;</c> is on every route of that scenario.
    /// Unset: not scoped to a tag. At most one of <see cref="Route"/>, <see cref="Tag"/> and <see cref="Group"/>.
    /// </summary>
    public string? Tag { get; set; }

    /// <summary>The group of steps (<see cref="Scenario.Group"/>) the budgets apply to, nested groups included. Unset: not scoped to a group.</summary>
    public string? Group { get; set; }

    /// <summary>
    /// End the run as soon as one of these budgets is broken over the run so far (k6's <c>abortOnFail</c>), judged after
    /// each second once <see cref="AbortAfterSeconds"/> have been measured; the test fails with the run reported as
    /// aborted, instead of spending the rest of a doomed run. Default <see langword="false"/>.
    /// </summary>
    public bool AbortOnFail { get; set; }

    /// <summary>Seconds of measurement before an abort-on-fail budget is first judged (k6's <c>delayAbortEval</c>); default 5.</summary>
    public double AbortAfterSeconds { get; set; } = Budget.DefaultAbortDelay.TotalSeconds;

    /// <summary>Error rate at most this ratio (0.01 = 1%). Unset: not checked.</summary>
    public double ErrorRate
    {
        get => _errorRate ?? double.NaN;
        set => _errorRate = value;
    }

    /// <summary>Throughput at least this many completed requests per second. Unset: not checked.</summary>
    public double MinThroughput
    {
        get => _minThroughput ?? double.NaN;
        set => _minThroughput = value;
    }

    /// <summary>The budgets this attribute states.</summary>
    public IReadOnlyList<Budget> Budgets
    {
        get
        {
            var budgets = new List<Budget>();
            AddIfSet(budgets, _p50, Budget.P50);
            AddIfSet(budgets, _p90, Budget.P90);
            AddIfSet(budgets, _p95, Budget.P95);
            AddIfSet(budgets, _p99, Budget.P99);
            AddIfSet(budgets, _max, Budget.Max);
            if (_errorRate is { } errorRate)
            {
                budgets.Add(Budget.ErrorRate(errorRate, Route));
            }

            if (_minThroughput is { } throughput)
            {
                budgets.Add(Budget.MinThroughput(throughput, Route));
            }

            return budgets.Select(Scoped).ToArray();
        }
    }

    /// <summary>The budgets must be stated and possible: at least one, each a finite, positive limit (an error rate between 0 and 1).</summary>
    protected override IReadOnlyList<string> Validate()
    {
        var budgets = Budgets;
        return budgets.Count == 0
            ? ["[LatencyBudget] states no budget. Give at least one, e.g. [LatencyBudget(p95: 500)], [LatencyBudget(ErrorRate = 0.01)] or [LatencyBudget(MinThroughput = 100)]."]
            : budgets.SelectMany(b => b.Validate()).ToArray();
    }

    /// <summary>Adds the budgets to the test's session.</summary>
    protected override void Configure(PerfSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.AddBudgets(Budgets);
    }

    private Budget Scoped(Budget budget)
    {
        var scoped = Tag is { } tag ? budget.ForTag(tag) : budget;
        scoped = Group is { } group ? scoped.ForGroup(group) : scoped;
        return AbortOnFail ? scoped.AbortingOnFail(double.IsFinite(AbortAfterSeconds) && Math.Abs(AbortAfterSeconds) < 86_400 ? TimeSpan.FromSeconds(AbortAfterSeconds) : TimeSpan.MinValue) : scoped;
    }

    private void AddIfSet(List<Budget> budgets, double value, Func<double, string?, Budget> create)
    {
        if (value != Unset)
        {
            budgets.Add(create(value, Route));
        }
    }
}
