using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Checks;
using PerfRegression.Engine;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>Several scenarios measured at once (k6's scenarios): each with its own users, profile, start and report.</summary>
public sealed class MixedWorkloadTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static LoadOptions Quick => new() { Warmup = TimeSpan.Zero };

    private static Task<TestApp> StartAsync() => TestApp.StartAsync(app =>
    {
        app.MapGet("/read", () => Results.Text("ok"));
        app.MapPost("/write", async (CancellationToken ct) =>
        {
            await Task.Delay(5, ct);
            return Results.StatusCode(201);
        });
    });

    [Fact]
    public async Task Each_scenario_runs_its_own_profile_and_is_reported_apart_with_exact_counts()
    {
        await using var app = await StartAsync();
        var read = Scenario.Create("read").Get("GET /read", "/read");
        var write = Scenario.Create("write").Post("POST /write", "/write", checks: Check.Status(201));

        var mix = await Load.RunMixAsync(app.Target, [read.Under(LoadProfile.Iterations(3, 40)), write.Under(LoadProfile.SharedIterations(2, 25))], Quick, Cancel);

        mix.Scenarios.Select(r => r.Scenario).Should().Equal("read", "write");
        mix["read"].Iterations.Should().Be(120);
        mix["read"].Route("GET /read").Count.Should().Be(120);
        mix["write"].Iterations.Should().Be(25);
        mix["write"].Route("POST /write").Count.Should().Be(25);
        mix["write"].Overall.Errors.Should().Be(0);
        mix["read"].RanWith.Should().Equal("write");
        mix["write"].RanWith.Should().Equal("read");
        mix["read"].ToSummary().Should().Contain("ran together with 'write'");
        mix.Aborted.Should().BeNull();
        FluentActions.Invoking(() => mix["search"]).Should().Throw<KeyNotFoundException>().WithMessage("The mix has no scenario 'search'; it ran 'read', 'write'.");
    }

    [Fact]
    public async Task The_scenarios_are_measured_at_the_same_time_each_from_its_start_offset()
    {
        using var quiet = await MachineQuiet.HoldAsync();
        await using var app = await StartAsync();
        var read = Scenario.Create("read").Get("GET /read", "/read");
        var write = Scenario.Create("write").Post("POST /write", "/write", checks: Check.Status(201));

        var mix = await Load.RunMixAsync(
            app.Target,
            [read.Under(LoadProfile.Users(2, TimeSpan.FromMilliseconds(1500))), write.Under(LoadProfile.Users(1, TimeSpan.FromMilliseconds(800)), startAfter: TimeSpan.FromMilliseconds(500))],
            Quick,
            Cancel);

        var (r, w) = (mix["read"], mix["write"]);
        var offset = w.StartedAt - r.StartedAt;
        offset.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450)).And.BeLessThan(TimeSpan.FromMilliseconds(1200), "the write scenario starts 500 ms into the read scenario's measurement");
        (w.StartedAt + w.Duration).Should().BeBefore(r.StartedAt + r.Duration + TimeSpan.FromMilliseconds(500), "the write scenario ran inside the read scenario's window, not after it");
        r.Duration.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1400));
        w.Duration.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(750)).And.BeLessThan(TimeSpan.FromMilliseconds(1400));
        r.RecordedLoad.Should().BeTrue();
        w.RecordedLoad.Should().BeTrue();
    }

    [Fact]
    public async Task In_a_test_every_part_is_judged_by_the_budgets_and_a_cost_budget_says_it_cannot_judge_a_part_of_a_mix()
    {
        await using var app = await StartAsync();
        using var session = PerfSession.Start(TestIdentity.From(typeof(MixedWorkloadTests).GetMethod(nameof(In_a_test_every_part_is_judged_by_the_budgets_and_a_cost_budget_says_it_cannot_judge_a_part_of_a_mix))!));
        session.AddBudgets([Budget.P95(5_000, "GET /read"), Budget.ErrorRate(0.01).ForTag("scenario:write"), Budget.CpuPerRequest(100)]);
        session.ConfigureGate(enabled: false);

        await Load.RunMixAsync(app.Target, [Scenario.Create("read").Get("GET /read", "/read").Under(LoadProfile.Iterations(2, 10)), Scenario.Create("write").Post("POST /write", "/write", checks: Check.Status(201)).Under(LoadProfile.Iterations(1, 5))], Quick, Cancel);
        var verdict = await session.FinishAsync(Cancel);

        session.Reports.Select(r => r.Scenario).Should().Equal("read", "write");
        var evaluation = verdict.Details<BudgetEvaluation>()!;
        evaluation.Results.Should().Contain(r => r.Route == "GET /read" && r.Scenario == "read" && r.Samples == 20);
        evaluation.Results.Should().Contain(r => r.Route == "{scenario:write}" && r.Scenario == "write" && r.Samples == 5 && r.Passed);
        evaluation.Problems.Should().Contain("The cpu/request budget cannot be checked for scenario 'read': it ran in a mix with 'write', and this process's CPU time, allocations, collections, database operations and heap are the whole mix's, not this scenario's. Budget costs in a run of the scenario alone (Load.RunAsync), and latency and errors in the mix.");
        verdict.Passed.Should().BeFalse("a budget that cannot be checked never passes");
    }

    [Fact]
    public async Task A_confirmation_trial_wanted_for_one_part_runs_the_whole_mix_again()
    {
        await using var app = await StartAsync();
        var context = new TrialsFor("write", trials: 2);
        using (LoadRunContext.Use(context))
        {
            var mix = await Load.RunMixAsync(app.Target, [Scenario.Create("read").Get("GET /read", "/read").Under(LoadProfile.Iterations(1, 4)), Scenario.Create("write").Post("POST /write", "/write", checks: Check.Status(201)).Under(LoadProfile.Iterations(1, 3))], Quick, Cancel);

            mix["write"].Runs.Should().Be(2);
            mix["read"].Runs.Should().Be(2, "every part runs every trial, so the parts always competed for the same system");
            mix["read"].Iterations.Should().Be(8);
        }

        context.Completed.Should().Equal("read", "write");
    }

    [Fact]
    public async Task Every_problem_of_every_part_is_listed_at_once()
    {
        await using var app = await StartAsync();
        var read = Scenario.Create("read").Get("GET /read", "/read");

        var act = () => Load.RunMixAsync(app.Target, [read.Under(LoadProfile.Users(0, TimeSpan.FromSeconds(1))), read.Under(LoadProfile.Iterations(1, 1), startAfter: TimeSpan.FromSeconds(-1))], Quick, Cancel);

        var problems = (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Problems;
        problems.Should().Contain(p => p.Contains("Users is 0; at least 1 virtual user is needed.", StringComparison.Ordinal));
        problems.Should().Contain("Scenario 'read' starts -1 s after the mix; a start offset must be zero or more.");
        problems.Should().Contain("The mix runs 2 scenarios named 'read'; each part is reported, budgeted and compared with its baseline by its scenario's name. Give each part a scenario of its own name.");

        var none = () => Load.RunMixAsync(app.Target, [], Quick, Cancel);
        (await none.Should().ThrowAsync<PerfConfigurationException>()).Which.Message.Should().Contain("The mix has no scenarios.");
    }

    [Fact]
    public async Task A_part_whose_setup_fails_fails_the_mix_with_the_setups_reason()
    {
        await using var app = await StartAsync();
        var read = Scenario.Create("read").Get("GET /read", "/read");
        var broken = Scenario.Create("broken").Setup((_, _) => throw new InvalidOperationException("no such member")).Get("GET /read", "/read");

        var act = () => Load.RunMixAsync(app.Target, [read.Under(LoadProfile.Iterations(2, 1)), broken.Under(LoadProfile.Iterations(1, 1)), read.Under(LoadProfile.Iterations(1, 1)) with { Scenario = Scenario.Create("later").Get("GET /read", "/read") }], Quick, Cancel);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().StartWith("The setup of virtual user 0 in scenario 'broken' failed: no such member");
    }

    /// <summary>A context whose planner wants <c>trials</c> trials of one scenario, and none more of the others.</summary>
    private sealed class TrialsFor(string scenario, int trials) : ILoadRunContext
    {
        public List<string> Completed { get; } = [];

        public CancellationToken CancellationToken => TestContext.Current.CancellationToken;

        public ITrialPlanner? RunStarting(Scenario run) => run.Name == scenario ? new Planner(trials) : null;

        public void RunCompleted(Scenario run, IReadOnlyList<LoadReport> done, LoadReport report) => Completed.Add(run.Name);

        private sealed class Planner(int wanted) : ITrialPlanner
        {
            public bool WantsAnotherTrial(IReadOnlyList<LoadReport> done) => done.Count < wanted;

            public string DescribeTrials(IReadOnlyList<LoadReport> done) => string.Empty;
        }
    }
}
