using PerfRegression.Tests.Support;

namespace PerfRegression.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Closed_model_records_every_request()
    {
        await using var app = await TestApp.StartBasicAsync();
        var report = await Load.RunAsync(
            app.Target,
            Scenario.Create("smoke").Get("ok", "/ok", Check.Status(200)).Get("fail", "/fail"),
            LoadProfile.Iterations(4, 25),
            new LoadOptions { Warmup = TimeSpan.Zero },
            TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper!.WriteLine(report.ToSummary());
        report.Route("ok").Count.Should().Be(100);
        report.Route("ok").Errors.Should().Be(0);
        report.Route("fail").Errors.Should().Be(100);
        report.Route("fail").ErrorsByKind.Should().ContainKey("HTTP 500").WhoseValue.Should().Be(100);
        report.Iterations.Should().Be(100);
    }
}
