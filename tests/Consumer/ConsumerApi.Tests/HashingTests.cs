using ConsumerApi.Benchmarks;
using PerfRegression;
using PerfRegression.BenchmarkDotNet;

namespace ConsumerApi.Tests;

/// <summary>A hot function under a micro-benchmark budget, run by BenchmarkDotNet inside the test.</summary>
public sealed class HashingTests
{
    // Time per operation moves a lot between processes on a shared machine: the budget is the check, and the baseline
    // comparison fails only at twice the baseline's time (allocations are exact, so one more fails).
    [Fact, MicroBenchmarkBudget(MeanMicroseconds = 1000, AllocatedBytes = 1024, FailMargin = 1.0)]
    public Task Hashing_a_kilobyte() => MicroBenchmark.RunAsync<HashingBenchmarks>();
}
