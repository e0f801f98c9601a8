using System.Collections.Concurrent;

namespace PerfRegression;

/// <summary>
/// How far the tests of this process stand from their baselines, statistic by statistic: each test compared with a
/// baseline that another process recorded leaves its estimated ratio (current/baseline, the median over its routes).
/// When the machine runs slower than when the baselines were recorded, every test moves alike: a run of the sample on
/// a busy 2-core machine measured CPU per request +10% to +29% on each of eight unchanged tests, and a CI run failed an
/// unchanged route on CPU +31% while the calibration workload ran at its usual speed. A route is slower in its own
/// right only by what it moved beyond the others. Tests are grouped by the folder of their baselines: baselines kept
/// together were recorded together.
/// </summary>
internal static class ProcessDrift
{
    /// <summary>The fewest other tests whose shift is taken as the process's.</summary>
    public const int MinimumTests = 2;

    private static readonly ConcurrentDictionary<(string Folder, string Statistic, string Test), double> Ratios = new();

    /// <summary>Records the estimated ratio of <paramref name="test"/> (baselines in <paramref name="folder"/>) for <paramref name="statistic"/>, replacing an earlier one.</summary>
    public static void Record(string folder, string test, string statistic, double ratio)
    {
        if (double.IsFinite(ratio) && ratio > 0)
        {
            Ratios[(folder, statistic, test)] = ratio;
        }
    }

    /// <summary>The ratios for <paramref name="statistic"/> of the tests other than <paramref name="test"/> whose baselines are in <paramref name="folder"/>, by test name.</summary>
    public static IReadOnlyList<(string Test, double Ratio)> Others(string folder, string test, string statistic)
        => Ratios.Where(r => r.Key.Folder == folder && r.Key.Statistic == statistic && r.Key.Test != test)
            .Select(r => (r.Key.Test, r.Value)).OrderBy(r => r.Test, StringComparer.Ordinal).ToArray();
}
