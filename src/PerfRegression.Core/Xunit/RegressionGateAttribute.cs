using PerfRegression.Session;

namespace PerfRegression;

/// <summary>
/// Tunes (or turns off) the regression gate of a performance test. Every test with
/// <c>[LatencyBudget]</c> is compared with its committed baseline using <see cref="GatePolicy.Default"/>:
/// P95 per route and CPU, allocations and database operations per request, a warning beyond +10%, a failure
/// beyond +20% when confirmed by trials. This attribute
/// changes that, and on its own makes a test a gated performance test (trait <c>Category=Performance</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RegressionGateAttribute : PerfCheckAttribute
{
    /// <summary>Whether the relative check runs. The default is <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The statistics compared per route, e.g. <c>"p95,p99"</c>. The default is <c>"p95"</c>.</summary>
    public string Statistics { get; set; } = "p95";

    /// <summary>
    /// The costs per request compared per scenario, e.g. <c>"cpu,alloc"</c>; an empty string compares latency only
    /// (see <see cref="GatePolicy.Costs"/>). The default is <c>"cpu,alloc,db"</c>.
    /// </summary>
    public string Costs { get; set; } = string.Join(",", GatePolicy.Default.Costs);

    /// <summary>The warn margin (0.10 = 10%). The default is 0.10.</summary>
    public double WarnMargin { get; set; } = GatePolicy.Default.WarnMargin;

    /// <summary>The fail margin (0.20 = 20%). The default is 0.20.</summary>
    public double FailMargin { get; set; } = GatePolicy.Default.FailMargin;

    /// <summary>Trials for a baseline and for a confirmation. The default is 5.</summary>
    public int Trials { get; set; } = GatePolicy.Default.Trials;

    /// <summary>The smallest slowdown in milliseconds that can fail the test. The default is 5; 0 fails on the relative margin alone.</summary>
    public double MinimumSlowdown { get; set; } = GatePolicy.Default.MinimumSlowdownMilliseconds;

    /// <summary>The smallest growth of CPU time per request in milliseconds that can fail the test (see <see cref="GatePolicy.MinimumCpuIncreaseMilliseconds"/>). The default is 0.2.</summary>
    public double MinimumCpuIncrease { get; set; } = GatePolicy.Default.MinimumCpuIncreaseMilliseconds;

    /// <summary>Whether an undecided possible slowdown beyond the fail margin fails the test (see <see cref="GatePolicy.FailOnInconclusive"/>). The default is <see langword="false"/>.</summary>
    public bool FailOnInconclusive { get; set; } = GatePolicy.Default.FailOnInconclusive;

    /// <summary>The policy this attribute states.</summary>
    public GatePolicy Policy => new()
    {
        Statistics = Statistics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Costs = Costs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        WarnMargin = WarnMargin,
        FailMargin = FailMargin,
        Trials = Trials,
        MinimumSlowdownMilliseconds = MinimumSlowdown,
        MinimumCpuIncreaseMilliseconds = MinimumCpuIncrease,
        FailOnInconclusive = FailOnInconclusive,
    };

    /// <summary>An enabled gate's policy must be possible: known statistics, margins in order, enough trials to confirm a change.</summary>
    protected override IReadOnlyList<string> Validate() => Enabled ? Policy.Validate() : [];

    /// <summary>Sets the policy of the test's regression gate, or turns the gate off.</summary>
    protected override void Configure(PerfSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.ConfigureGate(Policy, Enabled);
    }
}
