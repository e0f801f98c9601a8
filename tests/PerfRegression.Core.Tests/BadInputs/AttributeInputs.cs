using System.Reflection;
using PerfRegression.Session;

namespace PerfRegression.Tests.BadInputs;

/// <summary>
/// [LatencyBudget] and [RegressionGate] values a user can write, and GatePolicy values given in code: each is refused
/// before the test runs, with the value and the fix.
/// </summary>
internal sealed class AttributeInputs : IBadInputSource
{
    private const string Area = "attribute";
    private static readonly MethodInfo Method = typeof(AttributeInputs).GetMethod(nameof(Plan_calendar), BindingFlags.NonPublic | BindingFlags.Static)!;

    public IEnumerable<BadInput> Inputs =>
    [
        Budget("[LatencyBudget(p95: -1)]", new LatencyBudgetAttribute(p95: -1), "The p95 budget is -1 ms; a latency budget must be greater than zero milliseconds, e.g. p95: 500."),
        Budget("[LatencyBudget(p95: 0)]", new LatencyBudgetAttribute(p95: 0), "The p95 budget is 0 ms; a latency budget must be greater than zero milliseconds, e.g. p95: 500."),
        Budget("[LatencyBudget(p95: double.NaN)]", new LatencyBudgetAttribute(p95: double.NaN), "The p95 budget is NaN; a budget must be a finite number. Give the limit you need, e.g. p95: 500 for 500 ms."),
        Budget("[LatencyBudget(p99: double.PositiveInfinity)]", new LatencyBudgetAttribute(p99: double.PositiveInfinity), "The p99 budget is Infinity; a budget must be a finite number."),
        Budget("[LatencyBudget(p50: -0.5)]", new LatencyBudgetAttribute(p50: -0.5), "The p50 budget is -0.5 ms; a latency budget must be greater than zero milliseconds"),
        Budget("[LatencyBudget(max: 0)]", new LatencyBudgetAttribute(max: 0), "The max budget is 0 ms; a latency budget must be greater than zero milliseconds"),
        Budget("[LatencyBudget(ErrorRate = 1.5)]", new LatencyBudgetAttribute { ErrorRate = 1.5 }, "The error-rate budget is 1.5; it is a ratio between 0 and 1 (0.01 = 1%)."),
        Budget("[LatencyBudget(ErrorRate = -0.01)]", new LatencyBudgetAttribute { ErrorRate = -0.01 }, "The error-rate budget is -0.01; it is a ratio between 0 and 1 (0.01 = 1%)."),
        Budget("[LatencyBudget(ErrorRate = double.NaN)]", new LatencyBudgetAttribute { ErrorRate = double.NaN }, "The error rate budget is NaN; a budget must be a finite number."),
        Budget("[LatencyBudget(MinThroughput = 0)]", new LatencyBudgetAttribute { MinThroughput = 0 }, "The throughput budget is 0/s; a minimum throughput must be greater than zero."),
        Budget("[LatencyBudget(MinThroughput = -5)]", new LatencyBudgetAttribute { MinThroughput = -5 }, "The throughput budget is -5/s; a minimum throughput must be greater than zero."),
        Budget("[LatencyBudget(p95: 500, Route = \"\")]", new LatencyBudgetAttribute(p95: 500) { Route = "" }, "The p95 budget names an empty route. Give the step's name, or leave Route unset to budget all routes together."),
        Budget("[LatencyBudget(p95: 500, Route = \"  \")]", new LatencyBudgetAttribute(p95: 500) { Route = "  " }, "The p95 budget names an empty route."),
        Budget("[LatencyBudget(p95: 500, Tag = \"payment\")]", new LatencyBudgetAttribute(p95: 500) { Tag = "payment" }, "The p95 budget is scoped to the tag 'payment', which is not of the form key:value."),
        Budget("[LatencyBudget(p95: 500, Tag = \"kind:\")]", new LatencyBudgetAttribute(p95: 500) { Tag = "kind:" }, "The p95 budget is scoped to the tag 'kind:', which is not of the form key:value."),
        Budget("[LatencyBudget(p95: 500, Route = \"a\", Group = \"g\")]", new LatencyBudgetAttribute(p95: 500) { Route = "a", Group = "g" }, "The p95 budget on route 'a' is scoped to a route and a group at once; give one of Route, Tag or Group"),
        Budget("[LatencyBudget(p95: 500, Group = \" \")]", new LatencyBudgetAttribute(p95: 500) { Group = " " }, "The p95 budget is scoped to an empty group."),
        Budget("[LatencyBudget(p95: 500, AbortOnFail = true, AbortAfterSeconds = -1)]", new LatencyBudgetAttribute(p95: 500) { AbortOnFail = true, AbortAfterSeconds = -1 }, "The p95 budget's abort delay is -1 s; it must be zero or more"),
        Budget("[LatencyBudget] with no budget", new LatencyBudgetAttribute(), "[LatencyBudget] states no budget. Give at least one, e.g. [LatencyBudget(p95: 500)]"),
        Budget("[LatencyBudget(p95: -1, p99: double.NaN)] lists both", new LatencyBudgetAttribute(p95: -1, p99: double.NaN), "[LatencyBudget] on AttributeInputs.Plan_calendar has 2 problems:", "The p95 budget is -1 ms", "The p99 budget is NaN"),
        Gate("[RegressionGate(WarnMargin = 0)]", new RegressionGateAttribute { WarnMargin = 0 }, "WarnMargin is 0; it must be a ratio greater than zero, e.g. 0.10 for 10%."),
        Gate("[RegressionGate(WarnMargin = -0.1)]", new RegressionGateAttribute { WarnMargin = -0.1 }, "WarnMargin is -0.1; it must be a ratio greater than zero"),
        Gate("[RegressionGate(WarnMargin = double.NaN)]", new RegressionGateAttribute { WarnMargin = double.NaN }, "WarnMargin is NaN; it must be a ratio greater than zero"),
        Gate("[RegressionGate(FailMargin = 0.05)] below the warn margin", new RegressionGateAttribute { FailMargin = 0.05 }, "FailMargin is 0.05; it must be a ratio at least as large as WarnMargin (0.1), e.g. 0.20 for 20%."),
        Gate("[RegressionGate(FailMargin = double.PositiveInfinity)]", new RegressionGateAttribute { FailMargin = double.PositiveInfinity }, "FailMargin is Infinity; it must be a ratio at least as large as WarnMargin"),
        Gate("[RegressionGate(Trials = 1)]", new RegressionGateAttribute { Trials = 1 }, "Trials is 1; it must be between 3 and 30. Fewer trials cannot show a confident difference; 5 is the default."),
        Gate("[RegressionGate(Trials = 1000)]", new RegressionGateAttribute { Trials = 1000 }, "Trials is 1000; it must be between 3 and 30."),
        Gate("[RegressionGate(Statistics = \"p97\")]", new RegressionGateAttribute { Statistics = "p97" }, "The gate statistic 'p97' is unknown. Use one of p50, p90, p95, p99."),
        Gate("[RegressionGate(Statistics = \"\")]", new RegressionGateAttribute { Statistics = "" }, "The gate compares no statistic. Name at least one, e.g. \"p95\"."),
        Gate("[RegressionGate(Statistics = \"P95\")] in capitals", new RegressionGateAttribute { Statistics = "P95" }, "The gate statistic 'P95' is unknown. Use one of p50, p90, p95, p99."),
        Gate("[RegressionGate(MinimumSlowdown = -1)]", new RegressionGateAttribute { MinimumSlowdown = -1 }, "MinimumSlowdownMilliseconds is -1; it must be 0 or more milliseconds, e.g. 5."),
        Gate("[RegressionGate(MinimumSlowdown = double.NaN)]", new RegressionGateAttribute { MinimumSlowdown = double.NaN }, "MinimumSlowdownMilliseconds is NaN; it must be 0 or more milliseconds"),
        Gate("[RegressionGate(Costs = \"heap\")]", new RegressionGateAttribute { Costs = "heap" }, "The gate cost 'heap' is unknown. Use one of cpu, alloc, db, server-cpu, bytes."),
        Gate("[RegressionGate(MinimumCpuIncrease = -0.1)]", new RegressionGateAttribute { MinimumCpuIncrease = -0.1 }, "MinimumCpuIncreaseMilliseconds is -0.1; it must be 0 or more milliseconds, e.g. 0.2."),
        Resources("[ResourceBudget] with no budget", new ResourceBudgetAttribute(), "[ResourceBudget] states no budget. Give at least one, e.g. [ResourceBudget(CpuMilliseconds = 2)]"),
        Resources("[ResourceBudget(CpuMilliseconds = 0)]", new ResourceBudgetAttribute { CpuMilliseconds = 0 }, "The cpu/request budget is 0; every request costs some CPU and allocates something, so the limit must be greater than zero"),
        Resources("[ResourceBudget(AllocatedKilobytes = -64)]", new ResourceBudgetAttribute { AllocatedKilobytes = -64 }, "The allocated/request budget is -65536; every request costs some CPU and allocates something"),
        Resources("[ResourceBudget(DatabaseOperations = double.NaN)]", new ResourceBudgetAttribute { DatabaseOperations = double.NaN }, "The db operations/request budget is NaN; a budget must be a finite number."),
        Resources("[ResourceBudget(Gen0Per1000Requests = -1)]", new ResourceBudgetAttribute { Gen0Per1000Requests = -1 }, "The gen0/1,000 requests budget is -1; it must be 0 or more (0 means none at all)."),
        Resources("[ResourceBudget(ResponseKilobytes = -1)]", new ResourceBudgetAttribute { ResponseKilobytes = -1 }, "The response bytes/request budget is -1024; it must be 0 or more (0 means none at all)."),
        Policy("Alpha = 0", new GatePolicy { Alpha = 0 }, "Alpha is 0; it must be between 0 and 0.5, e.g. 0.01."),
        Policy("Alpha = 0.7", new GatePolicy { Alpha = 0.7 }, "Alpha is 0.7; it must be between 0 and 0.5, e.g. 0.01."),
        Policy("Alpha = NaN", new GatePolicy { Alpha = double.NaN }, "Alpha is NaN; it must be between 0 and 0.5"),
        Policy("Trials = 3 with Alpha = 0.01 (can never confirm)", new GatePolicy { Trials = 3 }, "With 3 against 3 trials the smallest possible p-value is", "not below Alpha 0.01, so no slowdown could ever be confirmed. Use more trials (5 reach 0.004) or a larger Alpha."),
        Policy("no statistics", new GatePolicy { Statistics = [] }, "The gate compares no statistic. Name at least one, e.g. \"p95\"."),
        Policy("Trials = 0 and FailMargin = -1 together", new GatePolicy { Trials = 0, FailMargin = -1 }, "The regression gate of AttributeInputs.Plan_calendar has 2 problems:", "Trials is 0", "FailMargin is -1"),
    ];

    // The test method the attributes are put on.
    private static void Plan_calendar()
    {
    }

    private static BadInput Budget(string name, LatencyBudgetAttribute attribute, params string[] expected)
        => BadInput.Sync(Area, name, () => Apply(attribute), expected);

    private static BadInput Resources(string name, ResourceBudgetAttribute attribute, params string[] expected)
        => BadInput.Sync(Area, name, () => Apply(attribute), expected);

    private static BadInput Gate(string name, RegressionGateAttribute attribute, params string[] expected)
        => BadInput.Sync(Area, name, () => Apply(attribute), ["[RegressionGate] on AttributeInputs.Plan_calendar has", .. expected]);

    private static BadInput Policy(string name, GatePolicy policy, params string[] expected)
        => BadInput.Sync("gate policy", name, () =>
        {
            using var session = PerfSession.Start(Checks.TestIdentity.From(Method), GateRuns.Settings(BadInputs.NewDirectory("policy")));
            session.ConfigureGate(policy);
        }, expected);

    /// <summary>What xUnit does before the test: the attribute validates itself and opens the test's session.</summary>
    private static void Apply(PerfCheckAttribute attribute)
    {
        attribute.Before(Method, null!);
        PerfSession.Current?.Dispose();
    }
}
