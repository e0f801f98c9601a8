using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>The runner against a real in-process server: behaviour, not speed.</summary>
public sealed class RunnerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static LoadOptions Quick => new() { Warmup = TimeSpan.Zero };

    [Fact]
    public async Task Counts_requests_errors_and_checks_per_route()
    {
        await using var app = await TestApp.StartBasicAsync();
        var scenario = Scenario.Create("mixed")
            .Get("ok", "/ok", Check.Status(200), Check.BodyContains("ok"))
            .Get("fail", "/fail")
            .Get("checked", "/ok", Check.That("has results", r => r.Body.Contains("results", StringComparison.Ordinal)));

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(4, 25), Quick, Cancel);

        report.Iterations.Should().Be(100);
        report.Route("ok").Count.Should().Be(100);
        report.Route("ok").Errors.Should().Be(0);
        report.Route("ok").Checks.Select(c => (c.Name, c.Passes, c.Failures)).Should().Equal(("status is 200", 100L, 0L), ("body contains 'ok'", 100L, 0L));
        report.Route("fail").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["HTTP 500"] = 100 });
        report.Route("checked").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["check 'has results'"] = 100 });
        report.Overall.Count.Should().Be(300);
        report.Overall.ErrorRate.Should().BeApproximately(2 / 3.0, 1e-9);
        report.Route("fail").Latency.Count.Should().Be(0, "failed requests are not in the latency of the route");
        report.Route("fail").FailedLatency.Count.Should().Be(100);
        report.Overall.Successes.Should().Be(100);
        report.Runtime.Should().NotBeNull();
    }

    [Fact]
    public async Task Each_virtual_user_keeps_its_own_cookies_from_setup()
    {
        await using var app = await TestApp.StartBasicAsync();
        var mismatches = 0;
        var scenario = Scenario.Create("cookies")
            .Setup(async (user, ct) => (await user.Http.PostAsync($"/login/{user.Id}", null, ct)).EnsureSuccessStatusCode())
            .Step("whoami", async (user, ct) =>
            {
                var id = await user.Http.GetStringAsync("/echo-cookie", ct);
                if (id != user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    Interlocked.Increment(ref mismatches);
                }
            });

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(6, 10), Quick, Cancel);

        report.Route("whoami").Count.Should().Be(60);
        mismatches.Should().Be(0);
    }

    [Fact]
    public async Task A_failing_setup_stops_the_run_with_the_user_and_the_cause()
    {
        await using var app = await TestApp.StartBasicAsync();
        var scenario = Scenario.Create("login").Setup((user, _) => user.Id == 2 ? throw new InvalidOperationException("bad password") : Task.CompletedTask).Get("ok", "/ok");

        var act = () => Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(3, 1), Quick, Cancel);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage(
            "The setup of virtual user 2 in scenario 'login' failed: bad password The setup runs once per user before measuring (e.g. to log in); fix it, or the system it calls, and run again.");
    }

    [Fact]
    public async Task Custom_metrics_and_data_feeds_are_merged_across_users()
    {
        await using var app = await TestApp.StartBasicAsync();
        var weeks = DataFeed.Circular(["2026-11-23", "2026-11-30"]);
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var scenario = Scenario.Create("metrics").Step("record", (user, _) =>
        {
            seen.Add(weeks.Next(user));
            user.Metrics.Trend("render", 10);
            user.Metrics.Rate("cache_hit", user.Iteration % 2 == 0);
            user.Metrics.Counter("bytes", 100);
            return Task.CompletedTask;
        });

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(4, 10), Quick, Cancel);

        report.Metrics.Select(m => m.Name).Should().Equal("render", "cache_hit", "bytes");
        report.Metrics[0].Trend!.P50.Should().BeApproximately(10, 0.1);
        report.Metrics[1].Ratio.Should().Be(0.5);
        report.Metrics[2].Sum.Should().Be(4000);
        seen.Count(w => w == "2026-11-23").Should().Be(20, "a circular feed hands items out in turn");
    }

    [Fact]
    public async Task Random_feeds_and_think_time_are_reproducible_with_the_seed()
    {
        await using var app = await TestApp.StartBasicAsync();

        async Task<string> DrawAsync()
        {
            var feed = DataFeed.Random(Enumerable.Range(0, 1000));
            var drawn = new System.Collections.Concurrent.ConcurrentDictionary<int, List<int>>();
            var scenario = Scenario.Create("draw").Step("draw", (user, _) =>
            {
                drawn.GetOrAdd(user.Id, _ => []).Add(feed.Next(user));
                return Task.CompletedTask;
            });
            await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(3, 5), new LoadOptions { Warmup = TimeSpan.Zero, Seed = 7 }, Cancel);
            return string.Join(";", drawn.OrderBy(p => p.Key).Select(p => string.Join(",", p.Value)));
        }

        (await DrawAsync()).Should().Be(await DrawAsync());
    }

    [Fact]
    public async Task A_step_slower_than_the_request_timeout_is_a_timeout_error()
    {
        await using var app = await TestApp.StartAsync(a => a.MapGet("/slow", async (HttpContext c) => await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted)));
        var scenario = Scenario.Create("timeouts")
            .Get("slow", "/slow")
            .Step("slow-code", (_, ct) => Task.Delay(TimeSpan.FromSeconds(30), ct));

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(2, 1), new LoadOptions { Warmup = TimeSpan.Zero, RequestTimeout = TimeSpan.FromMilliseconds(200) }, Cancel);

        report.Route("slow").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["timeout"] = 2 });
        report.Route("slow-code").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["timeout"] = 2 });
    }

    [Fact]
    public async Task A_hanging_system_cannot_keep_the_run_past_its_deadline_and_grace_period()
    {
        await using var app = await TestApp.StartAsync(a => a.MapGet("/hang", async (HttpContext c) => await Task.Delay(Timeout.Infinite, c.RequestAborted)));
        var options = new LoadOptions { Warmup = TimeSpan.Zero, GracefulStop = TimeSpan.FromMilliseconds(300) };
        var clock = Stopwatch.StartNew();

        var report = await Load.RunAsync(app.Target, Scenario.Create("hang").Get("hang", "/hang"), LoadProfile.Users(3, TimeSpan.FromMilliseconds(500)), options, Cancel);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "deadline 0.5 s + grace 0.3 s + 1 s to collect, with room for a slow machine");
        report.InterruptedIterations.Should().Be(3);
        report.Route("hang").Count.Should().Be(0, "interrupted requests have no latency to report");
        report.Warnings.Should().Contain(w => w.StartsWith("3 iterations were still running after the graceful stop of 300 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_the_test_stops_the_run()
    {
        await using var app = await TestApp.StartBasicAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        var act = () => Load.RunAsync(app.Target, Scenario.Create("long").Get("ok", "/ok"), LoadProfile.Users(2, TimeSpan.FromMinutes(5)), Quick, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Two_runs_in_one_process_never_overlap()
    {
        await using var app = await TestApp.StartBasicAsync();
        var active = 0;
        var overlaps = 0;

        Scenario Tracked(string name) => Scenario.Create(name).Step("work", async (_, ct) =>
        {
            if (Interlocked.Increment(ref active) > 2)
            {
                Interlocked.Increment(ref overlaps);
            }

            await Task.Delay(2, ct);
            Interlocked.Decrement(ref active);
        });

        var profile = LoadProfile.Users(2, TimeSpan.FromMilliseconds(400));
        await Task.WhenAll(
            Load.RunAsync(app.Target, Tracked("first"), profile, Quick, Cancel),
            Load.RunAsync(app.Target, Tracked("second"), profile, Quick, Cancel));

        overlaps.Should().Be(0, "at most the 2 users of one run are ever active");
    }

    [Fact]
    public async Task The_one_line_form_runs_a_single_route()
    {
        await using var app = await TestApp.StartBasicAsync();
        var report = await Load.RunAsync(app.Target, "GET /ok", users: 2, duration: TimeSpan.FromMilliseconds(300));

        report.Route("GET /ok").Count.Should().BeGreaterThan(0);
        report.Routes.Should().ContainSingle();
        report.LoadProfile.Should().Be("closed: 2 users for 300 ms");
    }
}
