using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfRegression.Checks;
using PerfRegression.Session;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Budgets;

/// <summary>
/// Memory measured on a real in-process app: a handler that keeps every request's buffer breaks a growth budget by
/// what it keeps, one that keeps nothing stays far within it. Alone in the process (the heap is the process's).
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class MemoryMeasurementTests : IDisposable
{
    private const int KeptPerRequest = 16 * 1024;
    private readonly string _directory = Path.Combine(IsolatedOutputs.Root, "memory-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<byte[]> _kept = [];

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_handler_that_keeps_every_request_breaks_the_growth_budget_by_what_it_keeps()
    {
        await using var app = await StartAsync();

        var (verdict, report) = await RunWithBudgetAsync(app, "/leak");

        verdict.Passed.Should().BeFalse();
        var memory = report.Memory!;
        memory.Requests.Should().Be(report.Overall.Count, "every trial measured memory, and their growths add up");
        // 16 KiB kept per request, plus the list's own growth: 16 MiB per 1,000 requests.
        memory.GrowthPer1000Requests.Should().BeInRange(15.5 * 1024 * 1024, 18 * 1024 * 1024);
        memory.WorkingSetPeakBytes.Should().BeGreaterThan(memory.HeapAfterBytes / 2);
        var item = verdict.Results.Single(r => r.Title == "Budgets").Items.Single(i => i.Check == "heap growth/1,000 requests budget");
        item.Severity.Should().Be(CheckSeverity.Fail);
        item.Expected.Should().Be("<= 4 MiB");
        item.Evidence.Should().Be(Text.Formatting.Plural(report.Overall.Count, "request", "requests"));
        verdict.Runs.Single().Memory.Should().Be(memory, "the results file keeps what the run measured");
        report.ToSummary().Should().Contain("memory: heap after full collections").And.Contain("per 1,000 requests) · working set peak");
    }

    [Fact]
    public async Task A_handler_that_keeps_nothing_stays_within_the_growth_budget()
    {
        await using var app = await StartAsync();

        var (verdict, report) = await RunWithBudgetAsync(app, "/ok");

        verdict.Passed.Should().BeTrue(verdict.Text);
        report.Memory!.GrowthPer1000Requests.Should().BeLessThan(512 * 1024, "nothing is kept; what remains is the runner's timeline and the runtime's own caches");
    }

    [Fact]
    public async Task Without_a_memory_budget_a_run_takes_no_full_collection()
    {
        await using var app = await StartAsync();
        var gen2 = GC.CollectionCount(2);

        var report = await Load.RunAsync(app.Target, Scenario.Create("plain").Get("ok", "/ok"), LoadProfile.Iterations(4, 100), Options, TestContext.Current.CancellationToken);

        report.Memory.Should().BeNull();
        (GC.CollectionCount(2) - gen2).Should().BeLessThan(2, "the two forced full collections happen only when memory is measured");
    }

    [Fact]
    public async Task A_soak_of_a_handler_that_keeps_a_little_per_request_names_the_heap_with_its_rate_and_a_clean_one_is_not_flagged()
    {
        await using var app = await StartAsync();

        var leaking = await SoakAsync(app, "/drip");
        var clean = await SoakAsync(app, "/ok");

        leaking.Passed.Should().BeFalse(leaking.Text);
        var leak = leaking.Results.Single(r => r.Title == "Leaks").Items.Single(i => i.Check == "heap trend");
        leak.Verdict.Should().Be("leak");
        leak.Measured.Should().MatchRegex(@"^\+[0-9.,]+ MiB/min \(95% ");
        leaking.Text.Should().Contain("Leaks").And.Contain("heap trend");
        clean.Passed.Should().BeTrue(clean.Text);
        clean.Results.Single(r => r.Title == "Leaks").Items.Select(i => i.Check).Should().Contain(["heap trend", "handles trend", "threads trend"]);
    }

    private static LoadOptions Options => new() { Warmup = TimeSpan.FromMilliseconds(200), MaxWarmup = TimeSpan.FromSeconds(1) };

    private Task<TestApp> StartAsync() => TestApp.StartAsync(app =>
    {
        app.MapGet("/leak", () =>
        {
            lock (_kept)
            {
                _kept.Add(new byte[KeptPerRequest]);
            }

            return Results.Text("ok");
        });
        app.MapGet("/drip", () =>
        {
            lock (_kept)
            {
                _kept.Add(new byte[64]);
            }

            return Results.Text("ok");
        });
        app.MapGet("/ok", () => Results.Text("ok"));
    });

    /// <summary>A 4 s soak sampled every 250 ms (15 samples, 12 after the first quarter), no gate.</summary>
    private async Task<TestVerdict> SoakAsync(TestApp app, string path)
    {
        var settings = new PerfSettings { BaselineDirectory = _directory, ResultsDirectory = Path.Combine(_directory, "results") };
        using var session = PerfSession.Start(TestIdentity.From(typeof(MemoryMeasurementTests).GetMethod(nameof(A_soak_of_a_handler_that_keeps_a_little_per_request_names_the_heap_with_its_rate_and_a_clean_one_is_not_flagged))!), settings);
        session.ConfigureGate(enabled: false);
        session.AddCheck(new LeakCheck { SampleInterval = TimeSpan.FromMilliseconds(250) });

        await Load.RunAsync(app.Target, Scenario.Create("soak").Get("get", path), LoadProfile.Users(2, TimeSpan.FromSeconds(4)), Options, TestContext.Current.CancellationToken);

        return await session.FinishAsync(TestContext.Current.CancellationToken);
    }

    private async Task<(TestVerdict Verdict, LoadReport Report)> RunWithBudgetAsync(TestApp app, string path)
    {
        var settings = new PerfSettings { BaselineDirectory = _directory, ResultsDirectory = Path.Combine(_directory, "results") };
        using var session = PerfSession.Start(TestIdentity.From(typeof(MemoryMeasurementTests).GetMethod(nameof(A_handler_that_keeps_every_request_breaks_the_growth_budget_by_what_it_keeps))!), settings);
        session.AddBudgets([Budget.HeapGrowthPer1000Requests(4 * 1024 * 1024)]);

        var report = await Load.RunAsync(app.Target, Scenario.Create("memory").Get("get", path), LoadProfile.Iterations(4, 500), Options, TestContext.Current.CancellationToken);

        var verdict = await session.FinishAsync(TestContext.Current.CancellationToken);
        return (verdict, report);
    }
}
