using HdrHistogram;
using PerfRegression.Measurement;

namespace PerfRegression;

/// <summary>
/// An immutable latency distribution backed by an HdrHistogram (microsecond resolution, precision as
/// configured). Percentiles are read from the full histogram, never from averages or sketches, and two
/// distributions merge exactly.
/// </summary>
public sealed class LatencyDistribution
{
    private readonly HistogramBase _histogram;

    internal LatencyDistribution(HistogramBase histogram)
    {
        _histogram = histogram;
        Count = histogram.TotalCount;
        if (Count > 0)
        {
            P50 = Percentile(50);
            P90 = Percentile(90);
            P95 = Percentile(95);
            P99 = Percentile(99);
            P999 = Percentile(99.9);
            Max = histogram.GetMaxValue() / 1000.0;
            Min = histogram.RecordedValues().First().ValueIteratedTo / 1000.0;
            Mean = histogram.GetMean() / 1000.0;
            StdDev = histogram.GetStdDeviation() / 1000.0;
        }
        else
        {
            P50 = P90 = P95 = P99 = P999 = Max = Min = Mean = StdDev = double.NaN;
        }
    }

    /// <summary>An empty distribution.</summary>
    public static LatencyDistribution Empty { get; } = new(Histograms.Create(2));

    /// <summary>Number of recorded values.</summary>
    public long Count { get; }

    /// <summary>Median, in milliseconds.</summary>
    public double P50 { get; }

    /// <summary>90th percentile, in milliseconds.</summary>
    public double P90 { get; }

    /// <summary>95th percentile, in milliseconds.</summary>
    public double P95 { get; }

    /// <summary>99th percentile, in milliseconds.</summary>
    public double P99 { get; }

    /// <summary>99.9th percentile, in milliseconds.</summary>
    public double P999 { get; }

    /// <summary>Largest value, in milliseconds.</summary>
    public double Max { get; }

    /// <summary>Smallest value, in milliseconds.</summary>
    public double Min { get; }

    /// <summary>Mean, in milliseconds.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation, in milliseconds.</summary>
    public double StdDev { get; }

    /// <summary>Significant decimal digits of the underlying histogram.</summary>
    public int SignificantDigits => _histogram.NumberOfSignificantValueDigits;

    /// <summary>The value at <paramref name="percentile"/> (0..100), in milliseconds; NaN when empty.</summary>
    public double Percentile(double percentile)
    {
        if (percentile is < 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is between 0 and 100, e.g. 95 for p95.");
        }

        return Count == 0 ? double.NaN : _histogram.GetValueAtPercentile(percentile) / 1000.0;
    }

    /// <summary>The histogram in HdrHistogram's compressed V2 encoding, Base64.</summary>
    public string Encode() => Histograms.Encode(_histogram);

    /// <summary>Reads a distribution from <see cref="Encode"/>'s output.</summary>
    /// <exception cref="FormatException">The text is not an encoded histogram.</exception>
    public static LatencyDistribution Decode(string encoded)
    {
        try
        {
            return new LatencyDistribution(Histograms.Decode(encoded));
        }
        catch (Exception ex) when (ex is not FormatException)
        {
            throw new FormatException("The text is not a Base64 HdrHistogram (compressed V2 encoding). It may have been edited by hand; record it again.", ex);
        }
    }

    /// <summary>The exact union of several distributions.</summary>
    public static LatencyDistribution Merge(IEnumerable<LatencyDistribution> distributions)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        HistogramBase? merged = null;
        foreach (var d in distributions.Where(d => d.Count > 0))
        {
            // Empty parts (e.g. a route without failures) add nothing and must not set the precision.
            merged ??= Histograms.Create(d.SignificantDigits);
            merged.Add(d._histogram);
        }

        return merged is null ? Empty : new LatencyDistribution(merged);
    }

    internal HistogramBase CopyHistogram() => _histogram.Copy();
}
