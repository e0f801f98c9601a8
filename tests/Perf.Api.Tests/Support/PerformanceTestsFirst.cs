using Xunit.Sdk;
using Xunit.v3;

namespace Perf.Api.Tests.Support;

/// <summary>
/// Runs the performance tests' collections before the functional tests', keeping xUnit's order within each group. The
/// baselines are recorded by <c>dotnet test --filter Category=Performance</c>, a process that runs nothing else; a
/// plain <c>dotnet test</c> ran 180 functional tests first, and the performance tests measured in the process they
/// left (GC in generation 1 at nearly every collection instead of one in three, CPU per request +21%, p95 ×2).
/// Run first, they measure the process their baselines describe.
/// </summary>
public sealed class PerformanceTestsFirst : ITestCollectionOrderer
{
    private const string PerformanceNamespace = "Perf.Api.Tests.Performance.";

    /// <inheritdoc />
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection
    {
        var ordered = DefaultTestCollectionOrderer.Instance.OrderTestCollections(testCollections);
        return [.. ordered.Where(c => IsPerformance(c)), .. ordered.Where(c => !IsPerformance(c))];
    }

    // A class is its own collection unless it names one; the performance classes do not.
    private static bool IsPerformance(ITestCollection collection)
        => collection.TestCollectionDisplayName.Contains(PerformanceNamespace, StringComparison.Ordinal);
}
