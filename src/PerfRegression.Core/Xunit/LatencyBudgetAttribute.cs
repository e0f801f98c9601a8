using System.Reflection;
using Xunit.v3;

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
public sealed class LatencyBudgetAttribute : BeforeAfterTestAttribute, ITraitAttribute
{
    /// <summary>The trait name added by budget attributes.</summary>
    public const string TraitName = "Category";

    /// <summary>The trait value added by budget attributes.</summary>
    public const string TraitValue = "Performance";

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

            return budgets;
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new(TraitName, TraitValue)];

    /// <summary>Validates the budgets and opens the test's measurement scope.</summary>
    public override void Before(MethodInfo methodUnderTest, IXunitTest test)
    {
        var problems = new Problems();
        var budgets = Budgets;
        if (budgets.Count == 0)
        {
            problems.Add("[LatencyBudget] states no budget. Give at least one, e.g. [LatencyBudget(p95: 500)], [LatencyBudget(ErrorRate = 0.01)] or [LatencyBudget(MinThroughput = 100)].");
        }

        problems.AddRange(budgets.SelectMany(b => b.Validate()));
        problems.ThrowIfAny($"[LatencyBudget] on {methodUnderTest?.DeclaringType?.Name}.{methodUnderTest?.Name}");
        MeasurementScope.Enter(budgets, methodUnderTest, test?.TestMethodArguments);
    }

    /// <summary>After the last performance attribute of the test: checks every budget and the baseline, and fails with one message.</summary>
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        if (MeasurementScope.Current is { } scope && scope.Leave())
        {
            ScopeEvaluation.Finish(scope, methodUnderTest);
        }
    }

    private void AddIfSet(List<Budget> budgets, double value, Func<double, string?, Budget> create)
    {
        if (value != Unset)
        {
            budgets.Add(create(value, Route));
        }
    }
}
