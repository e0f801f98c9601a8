namespace PerfRegression;

/// <summary>The kind of a custom metric, as in k6.</summary>
public enum CustomMetricKind
{
    /// <summary>A latency-like value; reported as a distribution in milliseconds.</summary>
    Trend,

    /// <summary>A ratio of true values to all values, e.g. cache hits.</summary>
    Rate,

    /// <summary>A sum, reported with its rate per second.</summary>
    Counter,
}

/// <summary>The merged value of one custom metric.</summary>
public sealed class CustomMetricSummary
{
    internal CustomMetricSummary(string name, CustomMetricKind kind, LatencyDistribution? trend, long trues, long total, double sum, TimeSpan duration)
    {
        Name = name;
        Kind = kind;
        Trend = trend;
        Trues = trues;
        Total = total;
        Sum = sum;
        Duration = duration;
    }

    /// <summary>The metric's name.</summary>
    public string Name { get; }

    /// <summary>The metric's kind.</summary>
    public CustomMetricKind Kind { get; }

    /// <summary>For a trend: its distribution in milliseconds.</summary>
    public LatencyDistribution? Trend { get; }

    /// <summary>For a rate: how many values were true.</summary>
    public long Trues { get; }

    /// <summary>For a rate: how many values were recorded.</summary>
    public long Total { get; }

    /// <summary>For a rate: <see cref="Trues"/> over <see cref="Total"/>; NaN when nothing was recorded.</summary>
    public double Ratio => Total == 0 ? double.NaN : (double)Trues / Total;

    /// <summary>For a counter: the sum.</summary>
    public double Sum { get; }

    /// <summary>The measured duration.</summary>
    public TimeSpan Duration { get; }

    /// <summary>For a counter: the sum per second.</summary>
    public double PerSecond => Duration > TimeSpan.Zero ? Sum / Duration.TotalSeconds : 0;
}
