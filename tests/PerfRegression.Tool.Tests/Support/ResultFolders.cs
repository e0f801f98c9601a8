using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using PerfRegression.Checks;
using PerfRegression.Session;

namespace PerfRegression.Tool.Tests.Support;

/// <summary>
/// Result and baseline folders made by short real runs: a test session drives load at an in-memory app whose route
/// waits and allocates as told, and writes its results (and baselines) where the folder says.
/// </summary>
public sealed class ResultFolders : IDisposable
{
    public ResultFolders()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "perf-tool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Baselines => System.IO.Path.Combine(Root, "baselines");

    public string Path(string name) => System.IO.Path.Combine(Root, name);

    /// <summary>One run of the test <paramref name="test"/> into results folder <paramref name="results"/>; its route waits <paramref name="waitMs"/> and allocates <paramref name="kilobytes"/> KiB.</summary>
    public async Task<TestVerdict> RunAsync(string results, string test = "PlanTests.Calendar", int waitMs = 10, int kilobytes = 16, BaselineMode mode = BaselineMode.Update, int trials = 5, bool gate = true, TimeSpan? duration = null)
    {
        var settings = new PerfSettings { Mode = mode, BaselineDirectory = Baselines, ResultsDirectory = Path(results) };
        await using var app = await StartAppAsync(waitMs, kilobytes);
        using var session = PerfSession.Start(TestIdentity.Named(test), settings);
        session.ConfigureGate(GatePolicy.Default with { Trials = trials }, enabled: gate);
        var target = LoadTarget.InMemory(app.GetTestServer());
        await Load.RunAsync(target, Scenario.Create("calendar").Get("GET /plan", "/plan"), LoadProfile.Users(4, duration ?? TimeSpan.FromMilliseconds(300)), new LoadOptions { Warmup = TimeSpan.FromMilliseconds(200), MaxWarmup = TimeSpan.FromSeconds(1) }, TestContext.Current.CancellationToken);
        return await session.FinishAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static async Task<WebApplication> StartAppAsync(int waitMs, int kilobytes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/plan", async (CancellationToken ct) =>
        {
            var buffer = new byte[kilobytes * 1024];
            await Task.Delay(waitMs, ct);
            return Results.Text(buffer.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        await app.StartAsync();
        return app;
    }
}
