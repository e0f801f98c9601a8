using PerfRegression.Session;

namespace PerfRegression;

/// <summary>
/// Budgets for the micro-benchmarks an xUnit v3 test runs with <c>MicroBenchmark.RunAsync</c> (PerfRegression.BenchmarkDotNet):
/// <c>[Fact, MicroBenchmarkBudget(MeanMicroseconds = 40, AllocatedBytes = 0)]</c>. Each benchmark is also compared with the
/// micro-benchmark baseline: <see cref="FailMargin"/> (20%) slower, significantly over its iterations, or one more allocation per operation fails
/// (see <see cref="MicroBenchmarkCheck"/>). A negative value (the default) states no budget. Adds the trait
/// <c>Category=Performance</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class MicroBenchmarkBudgetAttribute : PerfCheckAttribute
{
    /// <summary>The benchmark the budgets apply to, by method name; unset for every benchmark of the test.</summary>
    public string? Benchmark { get; set; }

    /// <summary>The most mean time per operation, microseconds; negative for none (the default).</summary>
    public double MeanMicroseconds { get; set; } = -1;

    /// <summary>The most median time per operation, microseconds; negative for none (the default).</summary>
    public double MedianMicroseconds { get; set; } = -1;

    /// <summary>The most bytes allocated per operation (0: allocates nothing); negative for none (the default).</summary>
    public double AllocatedBytes { get; set; } = -1;

    /// <summary>The most generation-0 collections per 1,000 operations; negative for none (the default).</summary>
    public double Gen0Per1000Operations { get; set; } = -1;

    /// <summary>Whether each benchmark is compared with (and recorded as) a baseline. Default <see langword="true"/>.</summary>
    public bool CompareWithBaseline { get; set; } = true;

    /// <summary>
    /// How much slower than the baseline time per operation may be before the test fails (0.20 = 20%, significantly so
    /// over the iterations). The default is 0.20. Raise it where the machines that compare are measured to be noisier
    /// across processes than that; allocations are compared exactly whatever it is.
    /// </summary>
    public double FailMargin { get; set; } = GatePolicy.Default.FailMargin;

    /// <summary>How much slower than the baseline time per operation warns (0.10 = 10%). The default is 0.10.</summary>
    public double WarnMargin { get; set; } = GatePolicy.Default.WarnMargin;

    /// <summary>The check this attribute states.</summary>
    public MicroBenchmarkCheck Check => new()
    {
        Benchmark = Benchmark,
        MeanNanoseconds = Stated(MeanMicroseconds) * 1_000,
        MedianNanoseconds = Stated(MedianMicroseconds) * 1_000,
        AllocatedBytesPerOperation = Stated(AllocatedBytes),
        Gen0Per1000Operations = Stated(Gen0Per1000Operations),
        CompareWithBaseline = CompareWithBaseline,
        Policy = GatePolicy.Default with { FailMargin = FailMargin, WarnMargin = WarnMargin },
    };

    /// <summary>Every stated budget a valid number.</summary>
    protected override IReadOnlyList<string> Validate() => Check.Validate();

    /// <summary>Adds the check to the test's session.</summary>
    protected override void Configure(PerfSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.AddCheck(Check);
    }

    /// <summary>A negative value states no budget; NaN is passed on, to be refused by the check.</summary>
    private static double? Stated(double value) => value < 0 ? null : value;
}
