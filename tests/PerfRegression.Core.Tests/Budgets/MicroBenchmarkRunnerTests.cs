using BenchmarkDotNet.Attributes;
using PerfRegression.BenchmarkDotNet;

namespace PerfRegression.Tests.Budgets;

/// <summary>
/// A benchmark class that cannot run is refused before BenchmarkDotNet starts, each problem with its fix. (This test
/// project is a Debug build, so every refusal here also names the missing optimizations; a real run is the sample's
/// MicroBenchmarkTests, whose benchmarks live in an optimised project.)
/// </summary>
public sealed class MicroBenchmarkRunnerTests
{
    [Fact]
    public async Task A_class_without_benchmarks_in_a_debug_build_is_refused_with_both_fixes()
    {
        var act = () => MicroBenchmark.RunAsync<NoBenchmarks>();

        (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Message.Should()
            .Contain("NoBenchmarks has no benchmark: mark the public methods to measure with [Benchmark]")
            .And.Contain("PerfRegression.Core.Tests was built without optimizations (a Debug build)")
            .And.Contain("Run the tests with 'dotnet test -c Release', or set <Optimize>true</Optimize>");
    }

    [Fact]
    public async Task Hidden_benchmarks_unknown_names_and_bad_options_are_listed_together()
    {
        var options = new MicroBenchmarkOptions { IterationCount = 2, IterationTime = TimeSpan.FromMilliseconds(1), JitWarmup = TimeSpan.FromMinutes(5) };

        var act = () => MicroBenchmark.RunAsync(typeof(HiddenBenchmarks), ["Nope"], options, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Message.Should()
            .Contain("JitWarmup is 5 min; it must be between zero (off) and 1 minute.")
            .And.Contain("IterationCount is 2; it must be between 5")
            .And.Contain("IterationTime is 1 ms; it must be between 10 ms")
            .And.Contain("Hidden of HiddenBenchmarks is marked [Benchmark] but is not a public instance method")
            .And.Contain("'Nope' is not a benchmark of HiddenBenchmarks; its benchmarks are Visible.");
    }

    [Fact]
    public void Benchmark_names_match_by_method_full_name_or_with_parameters()
    {
        MicroBenchmarkCheck.Matches("PlanBenchmarks.Plan", "Plan").Should().BeTrue();
        MicroBenchmarkCheck.Matches("PlanBenchmarks.Plan(Weeks=4)", "PlanBenchmarks.Plan").Should().BeTrue();
        MicroBenchmarkCheck.Matches("PlanBenchmarks.Plan(Weeks=4)", "PlanBenchmarks.Plan(Weeks=4)").Should().BeTrue();
        MicroBenchmarkCheck.Matches("PlanBenchmarks.Planning", "Plan").Should().BeFalse();
    }

    public sealed class NoBenchmarks
    {
        public int Work() => 1;
    }

    public sealed class HiddenBenchmarks
    {
        [Benchmark]
        public int Visible() => 1;

        // BenchmarkDotNet's analyzer refuses this at build time where it runs; the runner refuses it too where it does not.
#pragma warning disable BDN1103
        [Benchmark]
        internal int Hidden() => 2;
#pragma warning restore BDN1103
    }
}
