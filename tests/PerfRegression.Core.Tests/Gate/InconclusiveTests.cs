using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Gate;

/// <summary>Inconclusive is not a pass in disguise: the run is kept for review, and a team may make it fail.</summary>
public sealed class InconclusiveTests : IDisposable
{
    private static readonly TestIdentity Identity = TestIdentity.Named("InconclusiveTests.Disturbed");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "perf-inconclusive-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_disturbed_slowdown_beyond_the_fail_margin_keeps_the_run_in_a_received_file()
    {
        Record([20, 20.5, 21, 21.5, 22]);

        var outcome = Compare(GatePolicy.Default, [30, 30.5, 31, 31.5, 32]);

        var comparison = outcome.Comparisons.Should().ContainSingle().Subject;
        comparison.Verdict.Should().Be(Verdict.Inconclusive, "other processes held the machine in every trial");
        comparison.Severity.Should().Be(CheckSeverity.Inconclusive);
        outcome.ReceivedPath.Should().NotBeNull();
        File.Exists(outcome.ReceivedPath).Should().BeTrue("the undecided run is kept for review");
        outcome.Notes.Should().Contain($"A slowdown beyond the fail margin was measured but not decided; this run is in {outcome.ReceivedPath} for review (it is not a baseline).");
        outcome.BaselineWritten.Should().BeFalse();
    }

    [Fact]
    public void A_disturbed_change_under_the_floor_is_not_kept_for_review_it_could_never_fail()
    {
        // +40%, but 2 ms of a 5 ms route: under the 5 ms a latency slowdown must reach, decided or not.
        Record([5, 5.1, 5.2, 5.3, 5.4]);

        var outcome = Compare(GatePolicy.Default, [7, 7.1, 7.2, 7.3, 7.4]);

        outcome.Comparisons.Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Inconclusive);
        outcome.ReceivedPath.Should().BeNull();
        outcome.Notes.Should().NotContain(n => n.StartsWith("A slowdown beyond the fail margin", StringComparison.Ordinal));
    }

    [Fact]
    public void FailOnInconclusive_fails_an_undecided_slowdown_beyond_the_margins()
    {
        Record([20, 20.5, 21, 21.5, 22]);
        var policy = GatePolicy.Default with { FailOnInconclusive = true };

        var failing = Compare(policy, [30, 30.5, 31, 31.5, 32]).Comparisons.Single();
        failing.Verdict.Should().Be(Verdict.Inconclusive);
        failing.Severity.Should().Be(CheckSeverity.Fail);
        failing.Reason.Should().EndWith("the gate's policy fails a slowdown it could not decide (FailOnInconclusive): re-run the test to decide it");

        Compare(policy, [22, 23, 24, 24.5, 25]).Comparisons.Single().Severity.Should().NotBe(CheckSeverity.Fail, "+14% is inside the fail margin");
        Compare(policy with { MinimumSlowdownMilliseconds = 20 }, [30, 30.5, 31, 31.5, 32]).Comparisons.Single().Severity.Should().Be(CheckSeverity.Pass, "+10 ms is under the 20 ms a slowdown must reach: even undisturbed it could only warn");
    }

    [Fact]
    public void A_disturbed_run_is_measured_again_when_the_machine_is_quiet_and_judged_on_the_quiet_trials()
    {
        Record([20, 20.5, 21, 21.5, 22]);
        var gate = Gate(BaselineMode.Compare, GatePolicy.Default);
        gate.Begin("s");
        var busy = new[] { 30.0, 31, 32 }.Select(p => Trial(p, disturbed: true)).ToList();
        var trials = new List<LoadReport>(busy) { Trial(21, disturbed: false), Trial(21.2, disturbed: false) };

        gate.WantsAnotherTrial("s", trials).Should().BeTrue("three of five trials were disturbed and the route looks slower");
        trials.AddRange(new[] { 20.8, 21.4, 20.6 }.Select(p => Trial(p, disturbed: false)));
        gate.WantsAnotherTrial("s", trials).Should().BeFalse("five trials were measured on a quiet machine");
        gate.Complete("s", trials);
        var outcome = gate.Finish(othersPassed: true);

        var comparison = outcome.Comparisons.Should().ContainSingle().Subject;
        comparison.Verdict.Should().Be(Verdict.Same);
        comparison.Current.Should().HaveCount(5);
        outcome.Notes.Should().Contain("Other processes disturbed 3 of the 8 trials of scenario 's', so more were run: latency was compared on the 5 measured while the machine was quiet, costs on all of them.");
    }

    [Fact]
    public void Re_measuring_is_bounded_to_twice_the_trials()
    {
        Record([20, 20.5, 21, 21.5, 22]);
        var gate = Gate(BaselineMode.Compare, GatePolicy.Default);
        gate.Begin("s");
        var trials = Enumerable.Range(0, 10).Select(i => Trial(30 + i, disturbed: true)).ToArray();

        gate.WantsAnotherTrial("s", trials[..9]).Should().BeTrue();
        gate.WantsAnotherTrial("s", trials).Should().BeFalse("a machine busy throughout ends Inconclusive after ten trials");
    }

    [Fact]
    public void The_attribute_states_the_policy()
        => new RegressionGateAttribute { FailOnInconclusive = true }.Policy.FailOnInconclusive.Should().BeTrue();

    private BaselineStore Store => new(_directory, "pr");

    private void Record(double[] p95s)
    {
        var gate = Gate(BaselineMode.Update, GatePolicy.Default);
        gate.Begin("s");
        gate.Complete("s", p95s.Select(p => Trial(p, disturbed: false)).ToArray());
        gate.Finish(othersPassed: true).BaselineWritten.Should().BeTrue();
    }

    private GateOutcome Compare(GatePolicy policy, double[] p95s)
    {
        var gate = Gate(BaselineMode.Compare, policy);
        gate.Begin("s");
        gate.Complete("s", p95s.Select(p => Trial(p, disturbed: true)).ToArray());
        return gate.Finish(othersPassed: true);
    }

    private RegressionGate Gate(BaselineMode mode, GatePolicy policy)
        => new(Identity, policy, new PerfSettings { Mode = mode }, Store, EnvironmentFingerprint.Current(typeof(InconclusiveTests).Assembly));

    /// <summary>A trial whose route's p95 is <paramref name="p95"/> ms (100 requests, the slowest 5 at the p95).</summary>
    private static LoadReport Trial(double p95, bool disturbed)
    {
        var latencies = Enumerable.Repeat(p95 * 0.5, 95).Concat(Enumerable.Repeat(p95, 5));
        var runtime = new RuntimeHealth(20, 2, 0.4, 0.4, 0, 0, 0, TimeSpan.Zero, 0, 0, 0, 4, 4, [], TimeSpan.FromSeconds(5), false, disturbed ? 0.98 : 0.45);
        return new LoadReport("s", "t", "p", false, 1, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(5), 100, 0, 0, 0, [Reports.Route("work", latencies)], [], runtime, runtime.Warnings());
    }
}
