using ConsumerApi.Benchmarks;
using PerfRegression;
using PerfRegression.BenchmarkDotNet;

namespace ConsumerApi.Tests;

/// <summary>A hot function under a micro-benchmark budget, run by BenchmarkDotNet inside the test.</summary>
public sealed class HashingTests
{
    // About 1 µs and 56 B per operation here: the budgets leave room for a slower CI machine. Time per operation moves
    // a lot between processes on a shared machine, so the baseline comparison fails only at twice the baseline's time
    // (allocations are exact: one more fails).
    [Fact, MicroBenchmarkBudget(MeanMicroseconds = 20, AllocatedBytes = 128, FailMargin = 1.0)]
    public Task Hashing_a_kilobyte() => MicroBenchmark.RunAsync<HashingBenchmarks>();
}
