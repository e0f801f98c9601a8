using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>What a request costs (CPU, allocations, collections) is part of every report, per request.</summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class ResourceUsageTests
{
    private const int Extra = 1024 * 1024;

    [Fact]
    public async Task Bytes_a_route_allocates_per_request_show_in_its_report()
    {
        await using var app = await TestApp.StartAsync(a =>
        {
            a.MapGet("/lean", () => Results.Text("ok"));
            // 1 MiB more per request in 1 KiB arrays (small objects: they fill gen0, where one large array would go to the
            // large object heap, whose budget the process's history can stretch past this test's 400 MB), kept alive
            // past the JIT so they are really allocated.
            a.MapGet("/fat", () =>
            {
                var total = 0;
                for (var i = 0; i < Extra / 1024; i++)
                {
                    total += Keep(new byte[1024 - 24]).Length;
                }

                return Results.Text(total > 0 ? "ok" : "no");
            });
        });
        var profile = LoadProfile.Iterations(2, 200);
        var options = new LoadOptions { Warmup = TimeSpan.Zero };
        var ct = TestContext.Current.CancellationToken;

        var lean = (await Load.RunAsync(app.Target, Scenario.Create("lean").Get("lean", "/lean"), profile, options, ct)).Resources;
        var fat = (await Load.RunAsync(app.Target, Scenario.Create("fat").Get("fat", "/fat"), profile, options, ct)).Resources;

        lean.Should().NotBeNull();
        fat.Should().NotBeNull();
        lean!.Requests.Should().Be(400);
        fat!.Requests.Should().Be(400);
        lean.CpuMillisecondsPerRequest.Should().BePositive();
        lean.AllocatedBytesPerRequest.Should().BePositive().And.BeLessThan(Extra / 4, "a text response costs a few kilobytes");
        // The same generator and pipeline on both sides: the difference is the route's own 1 MiB, within the noise of
        // the rest of the process (timers, the sampler) over 400 requests.
        (fat.AllocatedBytesPerRequest - lean.AllocatedBytesPerRequest).Should().BeInRange(Extra * 0.95, Extra * 1.1);
        fat.Gen0Per1000Requests.Should().BeGreaterThan(lean.Gen0Per1000Requests, "1 MiB per request fills gen0 faster");
    }

    [Fact]
    public async Task Bytes_per_request_do_not_depend_on_how_many_requests_share_the_generators_own()
    {
        await using var app = await TestApp.StartAsync(a => a.MapGet("/lean", () => Results.Text("ok")));
        var options = new LoadOptions { Warmup = TimeSpan.Zero };
        var scenario = Scenario.Create("lean").Get("lean", "/lean");
        var ct = TestContext.Current.CancellationToken;
        await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(4, 50), options, ct);

        // The generator allocates its histograms once per worker and step, and reads /proc every sampling interval:
        // spread over 40 requests or over 2,000, they would differ by tens of kilobytes per request.
        var few = (await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(4, 10), options, ct)).Resources!;
        var many = (await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(4, 500), options, ct)).Resources!;

        few.AllocatedBytesPerRequest.Should().BeApproximately(many.AllocatedBytesPerRequest, many.AllocatedBytesPerRequest * 0.25);
    }

    [Fact]
    public void Merged_trials_cost_their_total_over_their_requests()
    {
        var first = Reports.WithResources(requests: 100, cpu: TimeSpan.FromMilliseconds(50), allocated: 1_000_000, gen0: 2);
        var second = Reports.WithResources(requests: 300, cpu: TimeSpan.FromMilliseconds(250), allocated: 5_000_000, gen0: 6);

        var merged = LoadReport.Merge(first, second).Resources!;

        merged.Requests.Should().Be(400);
        merged.CpuMillisecondsPerRequest.Should().BeApproximately(0.75, 1e-9);
        merged.AllocatedBytesPerRequest.Should().Be(15_000);
        merged.Gen0Per1000Requests.Should().Be(20);
        merged.ServerCpuMillisecondsPerRequest.Should().BeNull();
    }

    [Fact]
    public void Resources_survive_the_results_json_and_read_in_the_summary()
    {
        var report = Reports.WithResources(requests: 400, cpu: TimeSpan.FromMilliseconds(300), allocated: 4_915_200, gen0: 3, server: TimeSpan.FromMilliseconds(120));

        var read = LoadReport.FromJson(report.ToJson());

        read.Resources.Should().Be(report.Resources);
        RunSummary.Of(report).Resources.Should().Be(report.Resources, "the per-test results JSON carries each run's costs");
        report.ToSummary().Should().Contain("per request: cpu 0.75 ms (+ 0.3 ms in server processes) · allocated 12 KiB · gc per 1,000 7.5/0/0\n");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] Keep(byte[] array) => array;
}
