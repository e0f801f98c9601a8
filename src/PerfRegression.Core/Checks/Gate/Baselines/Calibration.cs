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

    /// <summary>
    /// Runs both probes until their code is compiled as it will stay (at least four times each, for at least
    /// <paramref name="duration"/>), so that the first probe of a measurement does not time code still on its way up
    /// the JIT's tiers: without the framework's precompiled code (DOTNET_ReadyToRun=0) the first probes of a process ran
    /// up to a third slower and excused real slowdowns.
    /// </summary>
    public static void WarmUp(TimeSpan duration)
    {
        var until = TimeProvider.System.GetTimestamp() + (long)(duration.TotalSeconds * TimeProvider.System.TimestampFrequency);
        for (var i = 0; i < 4 || TimeProvider.System.GetTimestamp() < until; i++)
        {
            MeasureOnce();
            MeasureMemoryNow();
        }
    }

    /// <summary>The workload's time now (about 150 ms of work): how fast the machine runs at this moment, not at the process's start.</summary>
    public static double MeasureNow() => MeasureOnce();

    /// <summary>
    /// How fast memory answers now: a walk of 1 million dependent reads through a 4 MiB random cycle (beyond the
    /// caches a neighbour on a shared host can fill), in milliseconds, the fastest of three walks (the first in a process
    /// also pays for faulting the pages in). A core busy with
    /// compute can look as fast as ever while its memory is contended; allocation-heavy code then runs half as fast.
    /// </summary>
    public static double MeasureMemoryNow()
    {
        var cycle = MemoryCycle.Value;
        var best = double.MaxValue;
        for (var walk = 0; walk < 3; walk++)
        {
#pragma warning disable RS0030 // Calibration is the one place that measures the machine's wall clock on purpose.
            var start = Stopwatch.GetTimestamp();
            var at = 0;
            for (var step = 0; step < 1_000_000; step++)
            {
                at = cycle[at];
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds + (at < 0 ? 1 : 0));
#pragma warning restore RS0030
        }

        return best;
    }

    /// <summary>One cycle through all 1 Mi slots in a seeded random order (Sattolo's shuffle), so every read waits for the one before.</summary>
    private static readonly Lazy<int[]> MemoryCycle = new(() =>
    {
        var cycle = new int[1 << 20];
        for (var i = 0; i < cycle.Length; i++)
        {
            cycle[i] = i;
        }

        var random = new Random(11);
        for (var i = cycle.Length - 1; i > 0; i--)
        {
            var j = random.Next(i);
            (cycle[i], cycle[j]) = (cycle[j], cycle[i]);
        }

        return cycle;
    });

    /// <summary>The bytes the workload hashes, filled once: read only, so every thread may share them.</summary>
    private static readonly Lazy<byte[]> Data = new(() =>
    {
        var data = new byte[256 * 1024];
        new Random(42).NextBytes(data);
        return data;
    });

    /// <summary>The numbers each thread sorts, allocated once per thread.</summary>
    [ThreadStatic]
    private static int[]? t_numbers;

    /// <summary>
    /// The workload's time now. Its two large arrays are allocated once, not per measurement: on the large-object heap
    /// they counted towards full collections, whose cost grows with the heap, so a process that had just served an
    /// allocating load read the workload 13–15% slower in the fastest of ten readings while the machine was not.
    /// </summary>
    private static double MeasureOnce()
    {
        var data = Data.Value;
        var numbers = t_numbers ??= new int[50_000];
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
