using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace PerfRegression;

/// <summary>
/// How one resource moved over a soak: the least-squares slope of its samples against time, per minute, with a 95%
/// interval, fitted after the run's first quarter (caches filling and pools growing settle there). A leak is a
/// slope whose whole interval is above zero and whose estimate is beyond the stated rate: growth that is both
/// real and large enough to matter.
/// </summary>
/// <param name="Resource">What was sampled: <c>heap</c>, <c>handles</c>, <c>threads</c> or <c>database connections</c>.</param>
/// <param name="PerMinute">The fitted growth per minute (bytes for the heap, counts for the others).</param>
/// <param name="LowPerMinute">The lower end of its 95% interval.</param>
/// <param name="HighPerMinute">The upper end.</param>
/// <param name="Per1000Requests">The same growth per 1,000 requests completed.</param>
/// <param name="Limit">The stated rate per minute beyond which significant growth is a leak.</param>
/// <param name="Samples">Samples in the fit.</param>
/// <param name="Seconds">The time the fit spans.</param>
public sealed record ResourceTrend(string Resource, double PerMinute, double LowPerMinute, double HighPerMinute, double Per1000Requests, double Limit, int Samples, double Seconds)
{
    /// <summary>The fewest samples a fit needs: fewer cannot tell a trend from two noisy points.</summary>
    public const int MinimumSamples = 6;

    /// <summary>Whether the growth is significant (its interval above zero) and beyond <see cref="Limit"/>.</summary>
    public bool IsLeak => LowPerMinute > 0 && PerMinute > Limit;

    /// <summary>
    /// Fits <paramref name="read"/> over <paramref name="samples"/> after the first quarter of the time they span;
    /// <see langword="null"/> when the resource was not sampled or fewer than <see cref="MinimumSamples"/> remain.
    /// </summary>
    public static ResourceTrend? Fit(string resource, IReadOnlyList<ResourceSample> samples, Func<ResourceSample, double?> read, double limitPerMinute)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(read);
        if (samples.Count == 0)
        {
            return null;
        }

        var settled = samples[^1].Seconds / 4;
        var points = samples.Where(s => s.Seconds >= settled).Select(s => (Sample: s, Value: read(s))).Where(p => p.Value is not null).Select(p => (p.Sample, Value: p.Value!.Value)).ToArray();
        if (points.Length < MinimumSamples)
        {
            return null;
        }

        var meanX = points.Average(p => p.Sample.Seconds);
        var meanY = points.Average(p => p.Value);
        var sxx = points.Sum(p => (p.Sample.Seconds - meanX) * (p.Sample.Seconds - meanX));
        var seconds = points[^1].Sample.Seconds - points[0].Sample.Seconds;
        if (sxx <= 0)
        {
            return null;
        }

        var slope = points.Sum(p => (p.Sample.Seconds - meanX) * (p.Value - meanY)) / sxx;
        var residuals = points.Sum(p => Math.Pow(p.Value - (meanY + (slope * (p.Sample.Seconds - meanX))), 2));
        var error = Math.Sqrt(residuals / (points.Length - 2) / sxx);
        var t = new StudentDistribution(points.Length - 2).Quantile(0.975);
        var requests = points[^1].Sample.Requests - points[0].Sample.Requests;
        var growth = slope * seconds;
        return new ResourceTrend(resource, slope * 60, (slope - (t * error)) * 60, (slope + (t * error)) * 60, requests > 0 ? growth * 1000 / requests : double.NaN, limitPerMinute, points.Length, seconds);
    }
}
