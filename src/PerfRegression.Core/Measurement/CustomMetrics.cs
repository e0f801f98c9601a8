using HdrHistogram;
using PerfRegression.Measurement;

namespace PerfRegression;

/// <summary>
/// Custom metrics a step records, as k6's Trend, Rate and Counter. Each virtual user has its own
/// instance (reached through <see cref="VirtualUser.Metrics"/>), so recording takes no lock.
/// </summary>
public sealed class CustomMetrics
{
    internal static readonly CustomMetrics Discarding = new(0);

    private readonly int _significantDigits;
    private readonly Dictionary<string, LongHistogram> _trends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long True, long Total)> _rates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _counters = new(StringComparer.Ordinal);

    internal CustomMetrics(int significantDigits) => _significantDigits = significantDigits;

    internal IReadOnlyDictionary<string, LongHistogram> Trends => _trends;

    internal IReadOnlyDictionary<string, (long True, long Total)> Rates => _rates;

    internal IReadOnlyDictionary<string, double> Counters => _counters;

    private bool IsDiscarding => _significantDigits == 0;

    /// <summary>Records a latency-like value in milliseconds; the report shows its percentiles.</summary>
    public void Trend(string name, double milliseconds)
    {
        if (IsDiscarding || !double.IsFinite(milliseconds))
        {
            return;
        }

        if (!_trends.TryGetValue(name, out var histogram))
        {
            histogram = Histograms.Create(_significantDigits);
            _trends[name] = histogram;
        }

        histogram.RecordValue(Histograms.Clamp((long)Math.Round(milliseconds * 1000)));
    }

    /// <summary>Records whether something was true (e.g. a cache hit); the report shows the ratio.</summary>
    public void Rate(string name, bool value)
    {
        if (IsDiscarding)
        {
            return;
        }

        var (hits, total) = _rates.GetValueOrDefault(name);
        _rates[name] = (hits + (value ? 1 : 0), total + 1);
    }

    /// <summary>Adds <paramref name="value"/> to a counter; the report shows the sum and the rate per second.</summary>
    public void Counter(string name, double value = 1)
    {
        if (IsDiscarding)
        {
            return;
        }

        _counters[name] = _counters.GetValueOrDefault(name) + value;
    }
}
