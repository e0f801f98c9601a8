using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// What one micro-benchmark measured (a BenchmarkDotNet benchmark run from a test by <c>MicroBenchmark.RunAsync</c> of
/// PerfRegression.BenchmarkDotNet): the time per operation of each measured iteration (the gate's trials), the bytes
/// allocated and gen-0 collections per operation, and the tool's own summary.
/// </summary>
/// <param name="Benchmark">The benchmark's name, <c>Type.Method</c> (with its parameters, when it has any).</param>
/// <param name="IterationNanoseconds">Time per operation of each measured iteration, nanoseconds, in the order measured.</param>
/// <param name="Operations">Operations measured over all iterations.</param>
/// <param name="AllocatedBytesPerOperation">Bytes allocated per operation; <see langword="null"/> when allocations were not measured.</param>
/// <param name="Gen0Per1000Operations">Generation-0 collections per 1,000 operations; <see langword="null"/> when not measured.</param>
/// <param name="Optimized">Whether the benchmarked code was built with optimizations (a Debug build's timings say nothing about a Release build's).</param>
public sealed record MicroBenchmarkResult(string Benchmark, IReadOnlyList<double> IterationNanoseconds, long Operations, double? AllocatedBytesPerOperation, double? Gen0Per1000Operations, bool Optimized)
{
    /// <summary>The mean time per operation over the iterations, nanoseconds.</summary>
    public double MeanNanoseconds => IterationNanoseconds.Count == 0 ? double.NaN : IterationNanoseconds.Average();

    /// <summary>The median time per operation over the iterations, nanoseconds.</summary>
    public double MedianNanoseconds
    {
        get
        {
            if (IterationNanoseconds.Count == 0)
            {
                return double.NaN;
            }

            var sorted = IterationNanoseconds.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    /// <summary>
    /// Whether the runtime's dynamic PGO was on in the measuring process. With it on, the JIT optimises hot code from a
    /// profile of its first calls, which differs from one process to the next: the sample's benchmarks moved by up to
    /// 60% between processes with it on, and by 2% with it off. A slowdown against a baseline from another process then
    /// warns instead of failing.
    /// </summary>
    public bool DynamicPgo { get; init; }

    /// <summary>
    /// Whether the measuring process ran the framework's precompiled (ReadyToRun) code, the runtime's default. Tiered
    /// compilation replaces a hot precompiled method with optimised code, but not always: in a third of the sample's
    /// test processes one benchmark kept a precompiled method and measured 50–60% slower throughout; with
    /// <c>DOTNET_ReadyToRun=0</c> 23 processes of 23 measured alike. A slowdown against a baseline then warns instead of failing.
    /// </summary>
    public bool ReadyToRun { get; init; }

    /// <summary>
    /// The median time per operation of each round measured, nanoseconds, when the benchmark was measured several times
    /// and the fastest round kept (a disturbance only slows a round down); empty for one round.
    /// </summary>
    public IReadOnlyList<double> RoundMedianNanoseconds { get; init; } = [];

    /// <summary>
    /// The library's calibration workload's time on the measuring thread around the kept round, milliseconds: how fast
    /// the CPU ran then. A shared host's core can run a third slower for seconds at a time; compared with the baseline's,
    /// it tells a slower moment of the machine from slower code. <see langword="null"/> when not measured.
    /// </summary>
    public double? CalibrationMilliseconds { get; init; }

    /// <summary>
    /// The library's memory probe (1 million dependent reads through 4 MiB) on the measuring thread around the kept
    /// round, milliseconds: how fast memory answered then. <see langword="null"/> when not measured.
    /// </summary>
    public double? MemoryProbeMilliseconds { get; init; }

    /// <summary>The tool's own summary of the run (BenchmarkDotNet's table), for the test's output and results; empty when none.</summary>
    public string Summary { get; init; } = string.Empty;

    /// <summary>One line: <c>PlanBenchmarks.Generate: mean 38.2 µs, median 37.9 µs (15 iterations, 393,216 operations), 12.4 KiB allocated, gen0 2.9 per 1,000</c>.</summary>
    public override string ToString()
        => $"{Benchmark}: mean {Formatting.Nanoseconds(MeanNanoseconds)}, median {Formatting.Nanoseconds(MedianNanoseconds)} ({Formatting.Plural(IterationNanoseconds.Count, "iteration", "iterations")}, {Formatting.Plural(Operations, "operation", "operations")})"
            + (AllocatedBytesPerOperation is { } bytes ? $", {Formatting.Bytes(bytes)} allocated" : string.Empty)
            + (Gen0Per1000Operations is { } gen0 ? $", gen0 {Formatting.Number(gen0, "#,0.###")} per 1,000" : string.Empty)
            + (RoundMedianNanoseconds.Count > 1 ? $"; the fastest of {RoundMedianNanoseconds.Count} rounds ({string.Join(", ", RoundMedianNanoseconds.Select(Formatting.Nanoseconds))})" : string.Empty)
            + (Optimized ? string.Empty : " (NOT OPTIMIZED: a Debug build)")
            + (DynamicPgo ? " (dynamic PGO on)" : string.Empty)
            + (ReadyToRun ? " (ReadyToRun code on)" : string.Empty);
}
