using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Limits on one custom metric that a scenario records with <see cref="CustomMetrics"/> (k6's thresholds on custom
/// metrics): a rate's share of true values (<c>payment_success: rate &gt; 0.995</c>), a trend's percentiles in
/// milliseconds, a counter's total or its rate per second. Stated with <c>[MetricBudget("name", ...)]</c> on a test, or
/// in code with <see cref="CustomMetricCheck"/>. Set only the limits of the metric's kind; unset limits state nothing.
/// </summary>
/// <example><c>new MetricBudget("payment_success") { MinRate = 0.995 }</c>, <c>new MetricBudget("checkout_ms") { P95 = 3000, P99 = 5000 }</c>.</example>
public sealed class MetricBudget
{
    /// <summary>A budget on the metric named <paramref name="metric"/>, as the scenario records it (<c>user.Metrics.Rate("cache_hit", hit)</c>).</summary>
    public MetricBudget(string metric) => Metric = metric;

    /// <summary>The metric's name, as recorded.</summary>
    public string Metric { get; }

    /// <summary>
    /// The scenario whose runs are checked; <see langword="null"/> for every run that recorded the metric, each
    /// checked on its own (as latency budgets are).
    /// </summary>
    public string? Scenario { get; init; }

    /// <summary>For a rate: the least share of true values, 0..1 (0.995 = 99.5%).</summary>
    public double? MinRate { get; init; }

    /// <summary>For a rate: the largest share of true values, 0..1 (e.g. a retry rate of at most 0.05).</summary>
    public double? MaxRate { get; init; }

    /// <summary>For a trend: the largest median, milliseconds.</summary>
    public double? P50 { get; init; }

    /// <summary>For a trend: the largest 90th percentile, milliseconds.</summary>
    public double? P90 { get; init; }

    /// <summary>For a trend: the largest 95th percentile, milliseconds.</summary>
    public double? P95 { get; init; }

    /// <summary>For a trend: the largest 99th percentile, milliseconds.</summary>
    public double? P99 { get; init; }

    /// <summary>For a trend: the largest value, milliseconds.</summary>
    public double? Max { get; init; }

    /// <summary>For a counter: the least total over the measured phase.</summary>
    public double? MinCount { get; init; }

    /// <summary>For a counter: the largest total over the measured phase (0: it must never count).</summary>
    public double? MaxCount { get; init; }

    /// <summary>For a counter: the least total per second of the measured phase.</summary>
    public double? MinPerSecond { get; init; }

    /// <summary>For a counter: the largest total per second of the measured phase.</summary>
    public double? MaxPerSecond { get; init; }

    /// <summary>The kind of metric the limits set are for; <see langword="null"/> when none is set or they mix kinds.</summary>
    public CustomMetricKind? Kind
    {
        get
        {
            var kinds = Limits().Select(l => l.Kind).Distinct().ToArray();
            return kinds.Length == 1 ? kinds[0] : null;
        }
    }

    /// <summary>Every problem with this budget, one sentence each with the fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var name = string.IsNullOrWhiteSpace(Metric) ? "The metric budget" : $"The budget on metric '{Metric}'";
        if (string.IsNullOrWhiteSpace(Metric))
        {
            problems.Add("A metric budget names no metric. Give the name the scenario records, e.g. [MetricBudget(\"payment_success\", MinRate = 0.995)].");
        }

        if (Scenario is not null && string.IsNullOrWhiteSpace(Scenario))
        {
            problems.Add($"{name} names an empty scenario. Give the scenario's name, or leave Scenario unset to check every run that recorded the metric.");
        }

        var limits = Limits().ToArray();
        if (limits.Length == 0)
        {
            problems.Add($"{name} sets no limit. Set MinRate or MaxRate for a rate, P50, P90, P95, P99 or Max (milliseconds) for a trend, MinCount, MaxCount, MinPerSecond or MaxPerSecond for a counter.");
        }
        else if (limits.Select(l => l.Kind).Distinct().Count() > 1)
        {
            problems.Add($"{name} mixes limits of different kinds of metric ({string.Join(", ", limits.Select(l => $"{l.Name} for a {Describe(l.Kind)}"))}); a metric is one kind. Keep the limits of the kind the scenario records.");
        }

        foreach (var limit in limits)
        {
            var text = Problems.Format(limit.Value);
            if (!double.IsFinite(limit.Value))
            {
                problems.Add($"{name}'s {limit.Name} is {text}; a limit must be a finite number.");
            }
            else if (limit.Kind == CustomMetricKind.Rate && limit.Value is < 0 or > 1)
            {
                problems.Add($"{name}'s {limit.Name} is {text}; a rate is a share between 0 and 1 (0.995 = 99.5%).");
            }
            else if (limit.Kind == CustomMetricKind.Trend && limit.Value <= 0)
            {
                problems.Add($"{name}'s {limit.Name} is {text} ms; a trend's limit must be greater than zero milliseconds.");
            }
            else if (limit.Kind == CustomMetricKind.Counter && limit.Value < 0 && limit.IsUpper)
            {
                problems.Add($"{name}'s {limit.Name} is {text}; a counter's largest total or rate must be 0 or more.");
            }
        }

        Bracket(problems, name, nameof(MinRate), MinRate, nameof(MaxRate), MaxRate);
        Bracket(problems, name, nameof(MinCount), MinCount, nameof(MaxCount), MaxCount);
        Bracket(problems, name, nameof(MinPerSecond), MinPerSecond, nameof(MaxPerSecond), MaxPerSecond);
        return problems;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Metric}{(Scenario is null ? string.Empty : $" in '{Scenario}'")}: {string.Join(", ", Limits().Select(l => $"{l.Name} {l.Text}"))}";

    /// <summary>Each limit set, with its kind, direction and how the measured value reads.</summary>
    internal IEnumerable<MetricLimit> Limits()
    {
        static string Share(double v) => Formatting.Percent(v);
        static string Count(double v) => Formatting.Number(v, "#,0.##");
        var all = new (string Name, double? Value, CustomMetricKind Kind, bool IsUpper, Func<CustomMetricSummary, double> Measure, Func<double, string> Format)[]
        {
            (nameof(MinRate), MinRate, CustomMetricKind.Rate, false, m => m.Ratio, Share),
            (nameof(MaxRate), MaxRate, CustomMetricKind.Rate, true, m => m.Ratio, Share),
            ("p50", P50, CustomMetricKind.Trend, true, m => m.Trend!.P50, Formatting.Milliseconds),
            ("p90", P90, CustomMetricKind.Trend, true, m => m.Trend!.P90, Formatting.Milliseconds),
            ("p95", P95, CustomMetricKind.Trend, true, m => m.Trend!.P95, Formatting.Milliseconds),
            ("p99", P99, CustomMetricKind.Trend, true, m => m.Trend!.P99, Formatting.Milliseconds),
            ("max", Max, CustomMetricKind.Trend, true, m => m.Trend!.Max, Formatting.Milliseconds),
            (nameof(MinCount), MinCount, CustomMetricKind.Counter, false, m => m.Sum, Count),
            (nameof(MaxCount), MaxCount, CustomMetricKind.Counter, true, m => m.Sum, Count),
            (nameof(MinPerSecond), MinPerSecond, CustomMetricKind.Counter, false, m => m.PerSecond, v => Formatting.Number(v, "#,0.##") + "/s"),
            (nameof(MaxPerSecond), MaxPerSecond, CustomMetricKind.Counter, true, m => m.PerSecond, v => Formatting.Number(v, "#,0.##") + "/s"),
        };
        return all.Where(l => l.Value is not null).Select(l => new MetricLimit(l.Name, l.Value!.Value, l.Kind, l.IsUpper, l.Measure, l.Format));
    }

    internal static string Describe(CustomMetricKind kind) => kind switch
    {
        CustomMetricKind.Rate => "rate",
        CustomMetricKind.Trend => "trend",
        _ => "counter",
    };

    private static void Bracket(List<string> problems, string name, string lowName, double? low, string highName, double? high)
    {
        if (low is { } l && high is { } h && double.IsFinite(l) && double.IsFinite(h) && l > h)
        {
            problems.Add($"{name}'s {lowName} ({Problems.Format(l)}) is above its {highName} ({Problems.Format(h)}), so no measurement could pass. Swap them, or drop one.");
        }
    }
}

/// <summary>One limit of a <see cref="MetricBudget"/>.</summary>
internal sealed record MetricLimit(string Name, double Value, CustomMetricKind Kind, bool IsUpper, Func<CustomMetricSummary, double> Measure, Func<double, string> Format)
{
    public string Text => (IsUpper ? "<= " : ">= ") + Format(Value);

    public bool Holds(double measured) => !double.IsNaN(measured) && (IsUpper ? measured <= Value : measured >= Value);
}
