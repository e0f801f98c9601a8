namespace PerfRegression.PostgreSql;

/// <summary>
/// Percentiles by the nearest-rank method: the p-th percentile of n sorted values is the value at rank
/// ⌈p/100 × n⌉ (1-based), so it is always one of the observed values. The median of an even count is the
/// lower of the two middle values; p100 is the maximum.
/// </summary>
internal static class NearestRank
{
    public static T Percentile<T>(ReadOnlySpan<T> sorted, double percentile)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("At least one value is needed for a percentile.", nameof(sorted));
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
