using System.Reflection;
using Xunit.v3;

namespace PerfRegression;

/// <summary>
/// Marks a performance test that states no budget attribute, e.g. one that checks its report in code
/// with FluentAssertions: adds the trait <c>Category=Performance</c>, compares its runs with the
/// committed baseline (the regression gate's defaults, tunable with <see cref="RegressionGateAttribute"/>),
/// and fails the test if it recorded no load.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class PerformanceTestAttribute : BeforeAfterTestAttribute, ITraitAttribute
{
    /// <inheritdoc />
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new(LatencyBudgetAttribute.TraitName, LatencyBudgetAttribute.TraitValue)];

    /// <summary>Opens (or joins) the test's measurement scope.</summary>
    public override void Before(MethodInfo methodUnderTest, IXunitTest test)
        => MeasurementScope.Enter([], methodUnderTest, test?.TestMethodArguments);

    /// <summary>After the last performance attribute of the test: decides budgets and baseline together.</summary>
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        if (MeasurementScope.Current is { } scope && scope.Leave())
        {
            ScopeEvaluation.Finish(scope, methodUnderTest);
        }
    }
}
