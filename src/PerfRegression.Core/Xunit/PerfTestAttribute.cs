using PerfRegression.Session;

namespace PerfRegression;

/// <summary>
/// Marks a performance test that states no budget attribute, e.g. one that checks its report in code
/// with FluentAssertions: adds the trait <c>Category=Performance</c>, compares its runs with the
/// committed baseline (the regression gate's defaults, tunable with <see cref="RegressionGateAttribute"/>),
/// and fails the test if it recorded no load.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class PerfTestAttribute : PerfCheckAttribute
{
    /// <summary>Nothing to add: the session's regression gate is on unless another attribute turns it off.</summary>
    protected override void Configure(PerfSession session)
    {
    }
}
