using System.Diagnostics;
using System.Security.Cryptography;

namespace PerfRegression;

/// <summary>
/// A fixed CPU-and-memory workload whose time says how fast this machine is right now. Recorded with
/// every baseline; when environments differ, the baseline is scaled by the ratio of the two timings,
/// so a 25% slower runner does not read as a 25% regression.
/// </summary>
internal static class Calibration
{
    private static readonly Lazy<double> Cached = new(MeasureOnce);

    /// <summary>The workload's time in milliseconds on this machine (median of 7 rounds; measured once per process).</summary>
    public static double Milliseconds => Cached.Value;

    /// <summary>The workload's time now (about 150 ms of work): how fast the machine runs at this moment, not at the process's start.</summary>
    public static double MeasureNow() => MeasureOnce();

    private static double MeasureOnce()
    {
        var data = new byte[256 * 1024];
        new Random(42).NextBytes(data);
        var numbers = new int[50_000];
        var rounds = new double[7];
        Round(data, numbers); // JIT and caches
        for (var i = 0; i < rounds.Length; i++)
        {
#pragma warning disable RS0030 // Calibration is the one place that measures the machine's wall clock on purpose.
            var start = Stopwatch.GetTimestamp();
            Round(data, numbers);
            rounds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
#pragma warning restore RS0030
        }

        return RegressionComparer.Median(rounds);
    }

    // Hashing (CPU), sorting (branches, memory) and allocation (GC): the ingredients of an API request.
    private static void Round(byte[] data, int[] numbers)
    {
        for (var i = 0; i < 8; i++)
        {
            SHA256.HashData(data);
        }

        var random = new Random(7);
        for (var pass = 0; pass < 4; pass++)
        {
            for (var i = 0; i < numbers.Length; i++)
            {
                numbers[i] = random.Next();
            }

            Array.Sort(numbers);
        }

        var list = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            list.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        GC.KeepAlive(list);
    }
}
