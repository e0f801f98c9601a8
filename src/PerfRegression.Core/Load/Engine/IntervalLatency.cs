using System.Numerics;
using HdrHistogram;
using PerfRegression.Measurement;

namespace PerfRegression.Engine;

/// <summary>
/// One route's latencies in the open interval of a timeline, written by every worker at the cost of one atomic
/// increment (HdrHistogram's concurrent recorder cost 35 ns a request, nine times the worker's own recording). Values
/// up to 31 µs are kept exactly, larger ones in 32 buckets per power of two (within 3.1%, reported at the bucket's
/// upper end, as HdrHistogram reports the highest equivalent value). <see cref="TakeInterval"/> empties the buckets
/// one by one with an atomic exchange, so every value lands in exactly one interval.
/// </summary>
internal sealed class IntervalLatency
{
    private const int SubBucketBits = 5;
    private const int SubBuckets = 1 << SubBucketBits;

    private static readonly int BucketCount = IndexOf(Histograms.HighestTrackableMicroseconds) + 1;

    private readonly long[] _counts = new long[BucketCount];
    private readonly long[] _taken = new long[BucketCount];

    /// <summary>Every interval taken so far, added up: the run until the last closed interval (read by its closer only).</summary>
    private readonly long[] _sum = new long[BucketCount];

    /// <summary>Adds one value in microseconds (clamped to the trackable range); safe from any thread.</summary>
    public void Record(long microseconds) => Interlocked.Increment(ref _counts[IndexOf(Histograms.Clamp(microseconds))]);

    /// <summary>Empties the buckets and returns the interval's count and its p50, p95, p99 and max in microseconds (zeros when empty).</summary>
    public (long Count, long P50, long P95, long P99, long Max) TakeInterval()
    {
        long count = 0;
        var highest = -1;
        for (var i = 0; i < _counts.Length; i++)
        {
            var taken = _taken[i] = Interlocked.Exchange(ref _counts[i], 0);
            if (taken > 0)
            {
                _sum[i] += taken;
                count += taken;
                highest = i;
            }
        }

        return count == 0 ? default : (count, At(0.50, count), At(0.95, count), At(0.99, count), HighestValueIn(highest));
    }

    /// <summary>
    /// The run so far, up to the last interval taken, as a histogram (each value at its bucket's upper end, within
    /// 3.1%): what a check of the run in progress (an abort-on-fail budget) reads. Call from the interval's closer.
    /// </summary>
    public LongHistogram SoFar(int significantDigits)
    {
        var histogram = Histograms.Create(significantDigits);
        for (var i = 0; i < _sum.Length; i++)
        {
            if (_sum[i] > 0)
            {
                histogram.RecordValueWithCount(Histograms.Clamp(HighestValueIn(i)), _sum[i]);
            }
        }

        return histogram;
    }

    /// <summary>The value at quantile <paramref name="quantile"/> of the values just taken: the smallest bucket holding it.</summary>
    private long At(double quantile, long count)
    {
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * count));
        long seen = 0;
        for (var i = 0; i < _taken.Length; i++)
        {
            seen += _taken[i];
            if (seen >= rank)
            {
                return HighestValueIn(i);
            }
        }

        return 0;
    }

    /// <summary>The bucket of <paramref name="value"/>: exact below 32, else 32 per power of two.</summary>
    internal static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)Math.Max(value, 0);
        }

        var top = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = top - SubBucketBits;
        return ((shift + 1) << SubBucketBits) + (int)(value >> shift) - SubBuckets;
    }

    /// <summary>The largest value bucket <paramref name="index"/> holds.</summary>
    internal static long HighestValueIn(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var shift = (index >> SubBucketBits) - 1;
        var lowest = (long)(SubBuckets + (index & (SubBuckets - 1))) << shift;
        return lowest + (1L << shift) - 1;
    }
}
