using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PerfRegression.Checks;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>
/// Faults of the system under test during a run: the app throwing, requests hanging. The run ends by its deadline,
/// errors are classified by kind, the same way on every target, and a budgeted test fails saying why.
/// </summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class FaultsDuringRunTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static LoadOptions Quick => new() { Warmup = TimeSpan.Zero };

    private static void MapFaults(WebApplication app)
    {
        app.MapGet("/ok", () => Results.Text("ok"));
        app.MapGet("/throws", string () => throw new InvalidOperationException("the app broke"));
        app.MapGet("/hangs", async (HttpContext c) => await Task.Delay(Timeout.Infinite, c.RequestAborted));
    }

    [Fact]
    public async Task An_unhandled_exception_is_HTTP_500_in_memory_as_on_Kestrel()
    {
        await using var inMemory = await TestApp.StartAsync(MapFaults);
        await using var kestrel = await StartKestrelAsync();
        var scenario = Scenario.Create("faults").Get("throws", "/throws").Get("ok", "/ok");

        var fromMemory = await Load.RunAsync(inMemory.Target, scenario, LoadProfile.Iterations(2, 5), Quick, Cancel);
        var fromSockets = await Load.RunAsync(LoadTarget.External(new Uri(kestrel.Urls.First())), scenario, LoadProfile.Iterations(2, 5), Quick, Cancel);

        fromMemory.Route("throws").ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["HTTP 500"] = 10 });
        fromSockets.Route("throws").ErrorsByKind.Should().Equal(fromMemory.Route("throws").ErrorsByKind);
        fromMemory.Route("ok").Errors.Should().Be(0);
    }

    [Fact]
    public async Task Throwing_and_hanging_routes_end_the_run_by_its_deadline_with_errors_by_kind_and_fail_the_budget()
    {
        await using var app = await TestApp.StartAsync(MapFaults);
        using var session = PerfSession.Start(TestIdentity.From(typeof(FaultsDuringRunTests).GetMethod(nameof(Throwing_and_hanging_routes_end_the_run_by_its_deadline_with_errors_by_kind_and_fail_the_budget))!));
        session.AddBudgets([Budget.P95(500)]);
        session.ConfigureGate(enabled: false);
        var scenario = Scenario.Create("faults").Get("ok", "/ok").Get("throws", "/throws").Get("hangs", "/hangs");
        var options = new LoadOptions { Warmup = TimeSpan.FromMilliseconds(200), MaxWarmup = TimeSpan.FromMilliseconds(400), RequestTimeout = TimeSpan.FromMilliseconds(100), GracefulStop = TimeSpan.FromMilliseconds(300) };
        var clock = Stopwatch.StartNew();

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Users(2, TimeSpan.FromSeconds(1)), options, Cancel);
        var verdict = await session.FinishAsync(Cancel);

        // MaxWarmup 0.4 s + 1 s + graceful stop 0.3 s + 1 s to collect = 2.7 s; 1.5 s more for a busy machine.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4.2));
        report.Route("throws").ErrorsByKind.Keys.Should().Equal("HTTP 500");
        report.Route("hangs").ErrorsByKind.Keys.Should().Equal("timeout");
        report.Route("ok").Errors.Should().Be(0);
        verdict.Passed.Should().BeFalse();
        verdict.Headline.Should().StartWith("Performance check failed for FaultsDuringRunTests.Throwing_and_hanging_routes_end_the_run_by_its_deadline_with_errors_by_kind_and_fail_the_budget (scenario 'faults')");
        verdict.Text.Should().Contain("error rate (default)");
    }

    private static async Task<WebApplication> StartKestrelAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        MapFaults(app);
        await app.StartAsync(Cancel);
        return app;
    }
}
