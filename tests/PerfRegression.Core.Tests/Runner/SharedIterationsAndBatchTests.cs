using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>Two k6 habits: users sharing a fixed number of iterations, and a batch of requests timed as one step.</summary>
public sealed class SharedIterationsAndBatchTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static LoadOptions Quick => new() { Warmup = TimeSpan.Zero };

    [Fact]
    public async Task Users_share_exactly_the_iterations_given_and_a_fast_user_runs_more()
    {
        var perUser = new int[3];
        await using var app = await TestApp.StartBasicAsync();
        var scenario = Scenario.Create("s").Step("work", async (u, ct) =>
        {
            Interlocked.Increment(ref perUser[u.Id]);
            await Task.Delay(u.Id == 0 ? 1 : 15, ct);
        });

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.SharedIterations(3, 90), Quick, Cancel);

        report.Iterations.Should().Be(90);
        report.Route("work").Count.Should().Be(90);
        perUser.Sum().Should().Be(90);
        perUser[0].Should().BeGreaterThan(perUser[1], "the users take the next iteration when free, not a fixed share each");
        report.LoadProfile.Should().Be("closed: 3 users sharing 90 iterations");
        report.Warnings.Should().NotContain(w => w.StartsWith("Only ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shared_iterations_are_validated()
    {
        await using var app = await TestApp.StartBasicAsync();

        var act = () => Load.RunAsync(app.Target, "GET /ok", LoadProfile.SharedIterations(5, 3), Quick, Cancel);
        var none = () => Load.RunAsync(app.Target, "GET /ok", LoadProfile.SharedIterations(1, 0), Quick, Cancel);

        (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Problems.Should().Equal("5 users share 3 iterations, so 2 of them would never run one. Use at most 3 users, or more iterations.");
        (await none.Should().ThrowAsync<PerfConfigurationException>()).Which.Problems.Should().Equal("The shared iterations are 0; the users must share at least 1 iteration, e.g. LoadProfile.SharedIterations(10, 1000).");
    }

    [Fact]
    public async Task A_batch_sends_its_requests_at_once_and_takes_as_long_as_the_slowest()
    {
        var inFlight = 0;
        var most = 0;
        await using var app = await TestApp.StartAsync(a =>
        {
            a.MapGet("/slow/{ms:int}", async (int ms, CancellationToken ct) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                await Task.Delay(ms, ct);
                Interlocked.Decrement(ref inFlight);
                return Results.Text("ok");
            });
            a.MapGet("/missing", () => Results.NotFound());
        });
        var scenario = Scenario.Create("page")
            .Batch("dashboard", [_ => new(HttpMethod.Get, "/slow/100"), _ => new(HttpMethod.Get, "/slow/100"), _ => new(HttpMethod.Get, "/slow/100")], Check.Status(200))
            .Batch("with-404", [_ => new(HttpMethod.Get, "/slow/1"), _ => new(HttpMethod.Get, "/missing")])
            .Batch("404-expected", [_ => new(HttpMethod.Get, "/missing")], Check.Status(200, 404))
            .Batch("body-check", [_ => new(HttpMethod.Get, "/slow/1")], Check.BodyContains("nope"));

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(1, 3), Quick, Cancel);

        most.Should().Be(3, "the three requests of the batch were in flight together");
        report.Route("dashboard").Errors.Should().Be(0);
        report.Route("dashboard").Latency.Max.Should().BeLessThan(290, "three requests of 100 ms at once take about 100 ms, not 300");
        report.Route("dashboard").Latency.P50.Should().BeGreaterThanOrEqualTo(99);
        report.Route("with-404").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["HTTP 404"] = 3 });
        report.Route("404-expected").Errors.Should().Be(0);
        report.Route("body-check").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["check 'body contains 'nope''"] = 3 });
    }

    [Fact]
    public async Task A_batch_without_requests_is_reported_when_the_run_starts()
    {
        await using var app = await TestApp.StartBasicAsync();

        var act = () => Load.RunAsync(app.Target, Scenario.Create("s").Batch("empty", []).Batch("nulls", [null!]), LoadProfile.Iterations(1, 1), Quick, Cancel);

        (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Problems.Should().Equal(
            "Step 'empty' of scenario 's' is a batch without requests. Give at least one, e.g. [u => new HttpRequestMessage(HttpMethod.Get, \"/plan\")].",
            "Step 'nulls' of scenario 's' has a null request builder in its batch. Remove it, or give the function that builds the request.");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
