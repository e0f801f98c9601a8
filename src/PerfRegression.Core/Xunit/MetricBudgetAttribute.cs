using PerfRegression.Session;

namespace PerfRegression;

/// <summary>
/// A budget on a custom metric the test's scenarios record (k6's thresholds on custom metrics), for an xUnit v3 test:
/// <c>[Fact, MetricBudget("payment_success", MinRate = 0.995), MetricBudget("checkout_ms", P95 = 3000)]</c>. Give the
/// limits of the metric's kind: <see cref="MinRate"/>/<see cref="MaxRate"/> for a rate (0..1), <see cref="P50"/>,
/// <see cref="P90"/>, <see cref="P95"/>, <see cref="P99"/>, <see cref="Max"/> for a trend (milliseconds),
/// <see cref="MinCount"/>, <see cref="MaxCount"/>, <see cref="MinPerSecond"/>, <see cref="MaxPerSecond"/> for a counter.
/// All of a test's metric budgets read as one <c>Custom metrics</c> section (see <see cref="CustomMetricCheck"/>).
/// Adds the trait <c>Category=Performance</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class MetricBudgetAttribute : PerfCheckAttribute
{
    /// <summary>The value of a limit that is not set.</summary>
    public const double Unset = double.NaN;

    /// <summary>A budget on the metric named <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric's name, as the scenario records it.</param>
    public MetricBudgetAttribute(string metric) => Metric = metric;

    /// <summary>The metric's name.</summary>
    public string Metric { get; }

    /// <summary>The scenario whose runs are checked; unset for every run that recorded the metric.</summary>
    public string? Scenario { get; set; }

    /// <summary>For a rate: the least share of true values, 0..1.</summary>
    public double MinRate { get; set; } = Unset;

    /// <summary>For a rate: the largest share of true values, 0..1.</summary>
    public double MaxRate { get; set; } = Unset;

    /// <summary>For a trend: the largest median, milliseconds.</summary>
    public double P50 { get; set; } = Unset;

    /// <summary>For a trend: the largest 90th percentile, milliseconds.</summary>
    public double P90 { get; set; } = Unset;

    /// <summary>For a trend: the largest 95th percentile, milliseconds.</summary>
    public double P95 { get; set; } = Unset;

    /// <summary>For a trend: the largest 99th percentile, milliseconds.</summary>
    public double P99 { get; set; } = Unset;

    /// <summary>For a trend: the largest value, milliseconds.</summary>
    public double Max { get; set; } = Unset;

    /// <summary>For a counter: the least total over the measured phase.</summary>
    public double MinCount { get; set; } = Unset;

    /// <summary>For a counter: the largest total over the measured phase.</summary>
    public double MaxCount { get; set; } = Unset;

    /// <summary>For a counter: the least total per second.</summary>
    public double MinPerSecond { get; set; } = Unset;

    /// <summary>For a counter: the largest total per second.</summary>
    public double MaxPerSecond { get; set; } = Unset;

    /// <summary>The budget this attribute states.</summary>
    public MetricBudget Budget => new(Metric)
    {
        Scenario = Scenario,
        MinRate = Set(MinRate),
        MaxRate = Set(MaxRate),
        P50 = Set(P50),
        P90 = Set(P90),
        P95 = Set(P95),
        P99 = Set(P99),
        Max = Set(Max),
        MinCount = Set(MinCount),
        MaxCount = Set(MaxCount),
        MinPerSecond = Set(MinPerSecond),
        MaxPerSecond = Set(MaxPerSecond),
    };

    /// <summary>A named metric, limits of one kind, each within its range.</summary>
    protected override IReadOnlyList<string> Validate() => Budget.Validate();

    /// <summary>Adds the budget to the test's custom-metric check, creating it for the test's first metric budget.</summary>
    protected override void Configure(PerfSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Checks.OfType<CustomMetricCheck>().FirstOrDefault() is { } check)
        {
            check.Add(Budget);
        }
        else
        {
            session.AddCheck(new CustomMetricCheck(Budget));
        }
    }

    // NaN is the attribute's "not set": an attribute argument cannot be a nullable double.
    private static double? Set(double value) => double.IsNaN(value) ? null : value;
}
