namespace ConsumerApi.Tests;

/// <summary>
/// A feature test beside the performance tests. The performance filter must leave it out: .ci/run sets
/// CONSUMER_PERFORMANCE_ONLY=1 for that run, and then this test, if selected, fails and names the filter.
/// </summary>
public sealed class FeatureTests
{
    [Fact]
    public void Is_left_out_by_the_performance_filter()
    {
        if (Environment.GetEnvironmentVariable("CONSUMER_PERFORMANCE_ONLY") == "1")
            throw new InvalidOperationException("The Category=Performance filter selected a test that is not a performance test: the trait or the filter syntax is wrong on this test platform.");
    }
}
