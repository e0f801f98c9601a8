using PerfRegression.Text;

namespace PerfRegression.BenchmarkDotNet;

/// <summary>
/// How <see cref="MicroBenchmark"/> runs a benchmark: a short in-process job sized for a pull-request suite, each
/// measured iteration a trial of the regression gate.
/// </summary>
public sealed class MicroBenchmarkOptions
{
    /// <summary>
    /// How long each benchmark is called before BenchmarkDotNet starts, so the runtime's tiered compiler has installed
    /// its optimised code (in a test's process it is on; without this the first measured iterations run unoptimised
    /// code). Zero turns it off; parameterised benchmarks rely on BenchmarkDotNet's warm-up alone.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan JitWarmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many times BenchmarkDotNet measures each benchmark, one after the other; the round with the lowest median is
    /// kept, its iterations the trials. A burst of other work on the machine (another process, a neighbour on a shared
    /// host) only ever slows a round down, so it fails a comparison only when it spoils every round; a real slowdown
    /// slows them all. Each round is a new BenchmarkDotNet run, which emits and compiles its measuring loop afresh, and
    /// in a third of the sample's rounds with the framework's precompiled code on, an allocation-heavy benchmark ran
    /// about 1.6 times slower for the whole round (a few percent of the rounds with it off): three rounds make such a
    /// draw in all of them unlikely.
    /// </summary>
    /// <value>The default value is 3.</value>
    public int Rounds { get; init; } = 3;

    /// <summary>Warm-up iterations before measuring.</summary>
    /// <value>The default value is 3.</value>
    public int WarmupCount { get; init; } = 3;

    /// <summary>Measured iterations, each a trial of the gate.</summary>
    /// <value>The default value is 15: enough for the gate's interval, about 2 s of measuring a benchmark.</value>
    public int IterationCount { get; init; } = 15;

    /// <summary>How long each iteration runs; BenchmarkDotNet picks the operations per iteration to fill it.</summary>
    /// <value>The default value is 100 ms.</value>
    public TimeSpan IterationTime { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether bytes allocated and collections per operation are measured (BenchmarkDotNet's memory diagnoser).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool MeasureAllocations { get; init; } = true;

    /// <summary>Every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (JitWarmup < TimeSpan.Zero || JitWarmup > TimeSpan.FromMinutes(1))
        {
            problems.Add($"JitWarmup is {Formatting.Duration(JitWarmup)}; it must be between zero (off) and 1 minute.");
        }

        if (Rounds is < 1 or > 10)
        {
            problems.Add($"Rounds is {Rounds}; it must be between 1 and 10 (the best of them is kept).");
        }

        if (WarmupCount is < 1 or > 100)
        {
            problems.Add($"WarmupCount is {WarmupCount}; it must be between 1 and 100 (warm-up lets the JIT reach its final code).");
        }

        if (IterationCount is < 5 or > 1_000)
        {
            problems.Add($"IterationCount is {IterationCount}; it must be between 5 (the fewest the gate can compare) and 1,000.");
        }

        if (IterationTime < TimeSpan.FromMilliseconds(10) || IterationTime > TimeSpan.FromSeconds(10))
        {
            problems.Add($"IterationTime is {Formatting.Duration(IterationTime)}; it must be between 10 ms (shorter is timer noise) and 10 s.");
        }

        return problems;
    }
}
