using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Checks;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Runner;

/// <summary>Response body bytes are counted per route, exactly, and budgeted like the other costs per request.</summary>
public sealed class ResponseBytesTests
{
    [Fact]
    public async Task Each_route_counts_the_bytes_of_the_bodies_it_received_and_a_code_step_counts_none()
    {
        await using var app = await TestApp.StartAsync(a =>
        {
            a.MapGet("/small", () => Results.Text(new string('s', 100)));
            a.MapGet("/large", () => Results.Text(new string('l', 5_000)));
            a.MapGet("/missing", () => Results.Text(new string('m', 40), statusCode: 404));
        });
        var scenario = Scenario.Create("pages").Get("small", "/small").Get("large", "/large").Get("missing", "/missing").Step("think", (_, _) => Task.CompletedTask);

        var report = await Load.RunAsync(app.Target, scenario, LoadProfile.Iterations(2, 25), new LoadOptions { Warmup = TimeSpan.Zero }, TestContext.Current.CancellationToken);

        report.Route("small").ResponseBytes.Should().Be(50 * 100);
        report.Route("large").ResponseBytes.Should().Be(50 * 5_000);
        report.Route("missing").ResponseBytes.Should().Be(50 * 40, "a failed request's body is counted too");
        report.Route("think").ResponseBytes.Should().BeNull("a code step has no response the runner reads");
        report.Overall.ResponseBytes.Should().Be(50 * 5_140);
        report.Route("large").ResponseBytesPerRequest.Should().Be(5_000);
        report.Resources!.ResponseBytesPerRequest.Should().Be(5_140 / 4.0, "the code step's requests count in the divisor, as for every cost");
        report.ToSummary().Should().Contain("response 1.3 KiB");

        var read = LoadReport.FromJson(report.ToJson());
        read.Route("large").ResponseBytes.Should().Be(50 * 5_000);
        read.Route("think").ResponseBytes.Should().BeNull();
    }

    [Fact]
    public void A_route_within_its_response_budget_passes_and_one_beyond_it_fails_beside_its_measurement()
    {
        var sized = Reports.Report("s", Reports.Route("GET /plan", [1, 2, 3, 4], responseBytes: 4 * 3_000), Reports.Route("GET /list", [1, 2], responseBytes: 2 * 500));

        var evaluation = sized.Evaluate(Budget.ResponseBytesPerRequest(2_048, "GET /plan"), Budget.ResponseBytesPerRequest(1_024, "GET /list"));

        evaluation.Results.Select(r => (r.Route, r.Budget.FormatValue(r.Measured), r.Passed)).Should().Equal(("GET /plan", "2.9 KiB", false), ("GET /list", "500 B", true));
    }

    [Fact]
    public void A_response_budget_on_a_code_step_cannot_pass()
    {
        var report = Reports.Report("s", Reports.Route("work", [1, 2, 3]));

        var evaluation = report.Evaluate(Budget.ResponseBytesPerRequest(1_024, "work"));

        evaluation.Passed.Should().BeFalse();
        evaluation.Problems.Should().ContainSingle().Which.Should().StartWith("The response bytes/request budget cannot be checked on route 'work': only HTTP steps have a response the runner reads, and this route is a code step.");
    }

    [Fact]
    public void The_attribute_states_a_response_budget_in_kilobytes()
        => new ResourceBudgetAttribute { ResponseKilobytes = 4, Route = "GET /plan" }.Budgets.Select(b => b.ToString()).Should().Equal("GET /plan: response bytes/request <= 4 KiB");
}
