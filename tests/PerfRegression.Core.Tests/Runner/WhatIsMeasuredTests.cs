using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>The run measures the route the user named, on the server the user named, or says why not.</summary>
public sealed class WhatIsMeasuredTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static LoadOptions Quick => new() { Warmup = TimeSpan.Zero };

    [Fact]
    public async Task A_null_path_is_refused_instead_of_requesting_the_root()
    {
        await using var app = await TestApp.StartBasicAsync();

        var act = () => Load.RunAsync(app.Target, Scenario.Create("s").Get("plan", (string)null!), LoadProfile.Iterations(1, 1), Quick, Cancel);

        (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Problems.Should().Equal(
            "Step 'plan' of scenario 's' has a null path, so it would request the target's base address itself (GET /) instead of the route you meant. Give the route's path, e.g. \"/plan\".");
    }

    [Fact]
    public async Task A_path_function_returning_null_is_an_error_of_its_own_kind()
    {
        await using var app = await TestApp.StartBasicAsync();

        var report = await Load.RunAsync(app.Target, Scenario.Create("s").Get("plan", _ => null!), LoadProfile.Iterations(1, 3), Quick, Cancel);

        report.Route("plan").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["no path"] = 3 });
    }

    [Fact]
    public async Task An_absolute_url_on_an_in_memory_target_is_refused()
    {
        await using var app = await TestApp.StartBasicAsync();

        var act = () => Load.RunAsync(app.Target, Scenario.Create("s").Get("other", "https://example.com/ok"), LoadProfile.Iterations(1, 1), Quick, Cancel);

        (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Problems.Should().Equal(
            "Step 'other' of scenario 's' requests the absolute URL 'https://example.com/ok', but the target is the in-memory TestServer, which answers every host from the app under test: the load would not go where the URL says. "
            + "Give the path relative to the app, e.g. \"/ok\", or target that server with LoadTarget.External(new Uri(\"https://example.com/\")).");
    }

    [Fact]
    public async Task An_absolute_url_to_the_target_itself_is_allowed_and_a_computed_one_elsewhere_is_an_error()
    {
        await using var app = await TestApp.StartBasicAsync();
        var scenario = Scenario.Create("s").Get("self", "http://localhost/ok").Get("elsewhere", _ => "https://example.com/ok");

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(1, 2), Quick, Cancel);

        report.Route("self").Errors.Should().Be(0);
        report.Route("self").Count.Should().Be(2);
        report.Route("elsewhere").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["URL outside the target"] = 2 });
    }

    [Fact]
    public async Task A_base_url_path_prefix_is_kept_for_paths_starting_with_a_slash()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/api/orders", () => Results.Text("orders"));
        app.MapGet("/orders", () => Results.StatusCode(404));
        await app.StartAsync(Cancel);
        var server = app.GetTestServer();
        var target = LoadTarget.FromClientFactory("gateway /api", () => new HttpClient(server.CreateHandler()) { BaseAddress = new Uri("http://localhost/api") });

        var report = await Load.RunAsync(target, Scenario.Create("s").Get("orders", "/orders", Check.BodyContains("orders")), LoadProfile.Iterations(1, 3), Quick, Cancel);

        report.Route("orders").Errors.Should().Be(0, "/orders under http://localhost/api is /api/orders");
        report.Route("orders").Count.Should().Be(3);
    }

    [Fact]
    public void An_external_base_url_keeps_its_prefix_for_relative_paths_too()
    {
        using var client = LoadTarget.External(new Uri("http://127.0.0.1:5000/api")).CreateClient();

        client.BaseAddress.Should().Be(new Uri("http://127.0.0.1:5000/api/"));
        new Uri(client.BaseAddress!, "orders").Should().Be(new Uri("http://127.0.0.1:5000/api/orders"));
    }

    [Fact]
    public async Task Iterations_cut_short_by_max_duration_are_reported()
    {
        var time = new FakeTimeProvider();
        var scenario = Scenario.Create("long").Step("ten-ms", (_, _) =>
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            return Task.CompletedTask;
        });
        var options = new LoadOptions { TimeProvider = time, Warmup = TimeSpan.Zero, GracefulStop = TimeSpan.Zero, MaxDuration = TimeSpan.FromMilliseconds(100) };

        var report = await Load.RunAsync(LoadTarget.FromClientFactory("code", () => new HttpClient()), scenario, LoadProfile.Iterations(1, 1_000_000), options, Cancel);

        report.Iterations.Should().Be(10);
        report.Warnings.Should().Contain(
            "Only 10 of the 1,000,000 iterations planned (1 user × 1,000,000) started: LoadOptions.MaxDuration (100 ms) ended the run first, so the figures describe its first 100 ms only. Raise MaxDuration or plan fewer iterations.");
    }

    [Fact]
    public async Task Iterations_that_all_ran_give_no_such_warning()
    {
        await using var app = await TestApp.StartBasicAsync();

        var report = await Load.RunAsync(app.Target, Scenario.Create("s").Get("ok", "/ok"), LoadProfile.Iterations(2, 5), Quick, Cancel);

        report.Warnings.Should().NotContain(w => w.StartsWith("Only ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_status_a_Status_check_names_is_an_expected_answer_and_any_other_fails_the_check()
    {
        await using var app = await TestApp.StartBasicAsync();
        var scenario = Scenario.Create("s")
            .Get("full", "/fail", Check.Status(201, 500))
            .Get("unexpected", "/fail", Check.Status(201, 409))
            .Get("unchecked", "/fail");

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(1, 3), Quick, Cancel);

        report.Route("full").Errors.Should().Be(0, "the check names 500: the test expects it");
        report.Route("full").Latency.Count.Should().Be(3, "an expected answer counts in the route's latency");
        report.Route("unexpected").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["HTTP 500"] = 3 });
        report.Route("unchecked").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["HTTP 500"] = 3 });
        Check.Status(201, 409).Name.Should().Be("status is 201 or 409");
    }

    [Fact]
    public async Task A_status_check_with_a_number_that_is_no_HTTP_status_is_refused()
    {
        await using var app = await TestApp.StartBasicAsync();

        var act = () => Load.RunAsync(app.Target, Scenario.Create("s").Get("r", "/ok", Check.Status(200, 4090)), LoadProfile.Iterations(1, 1), Quick, Cancel);

        (await act.Should().ThrowAsync<PerfConfigurationException>()).Which.Message.Should().Contain("Check.Status was given 4090, not an HTTP status; give statuses from 100 to 599, e.g. Check.Status(201, 409).");
    }

    [Fact]
    public async Task Steps_know_when_the_run_is_warming_up_so_that_warm_up_can_leave_the_measured_state_alone()
    {
        await using var app = await TestApp.StartBasicAsync();
        var warmingUp = 0;
        var measured = 0;
        var scenario = Scenario.Create("s").Get("r", u =>
        {
            Interlocked.Increment(ref u.IsWarmingUp ? ref warmingUp : ref measured);
            return "/ok";
        });
        var options = new LoadOptions { Warmup = TimeSpan.FromMilliseconds(200), MaxWarmup = TimeSpan.FromMilliseconds(400) };

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Users(2, TimeSpan.FromMilliseconds(300)), options, Cancel);

        warmingUp.Should().BeGreaterThan(0);
        measured.Should().Be((int)report.Route("r").Count);
    }
}
