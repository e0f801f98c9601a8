using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PerfRegression.Checks;
using PerfRegression.Session;

namespace PerfRegression.Tests.BadInputs;

/// <summary>
/// A gated performance test as a user's test runs it, on a fake clock so it takes milliseconds: a session with the
/// given settings, one load run, the verdict enforced. Baseline entries record a real baseline with it, damage the file
/// the way a user or a crash would, and run again.
/// </summary>
internal static class GateRuns
{
    public static TestIdentity Test { get; } = TestIdentity.Named("BadInputTests.Gated");

    public static PerfSettings Settings(string baselines, BaselineMode mode = BaselineMode.Compare)
        => new() { Mode = mode, BaselineDirectory = baselines, ResultsDirectory = Path.Combine(baselines, "results") };

    /// <summary>Runs the test once under <paramref name="settings"/> and throws as the test would when its verdict failed.</summary>
    public static async Task RunAsync(PerfSettings settings, TestIdentity? test = null)
    {
        using var session = PerfSession.Start(test ?? Test, settings);
        var time = new FakeTimeProvider();
        var scenario = Scenario.Create("gated").Step("work", (user, _) =>
        {
            time.Advance(TimeSpan.FromMilliseconds(20 + (user.Iteration % 3)));
            return Task.CompletedTask;
        });
        var options = new LoadOptions { TimeProvider = time, Warmup = TimeSpan.Zero, GracefulStop = TimeSpan.Zero };
        await Load.RunAsync(new StubTarget(), scenario, LoadProfile.Users(1, TimeSpan.FromMilliseconds(600)), options);
        (await session.FinishAsync()).EnsurePassed();
    }

    /// <summary>Records a real baseline in a fresh folder and returns the folder and the file's path.</summary>
    public static async Task<(string Folder, string Path)> RecordAsync(string purpose)
    {
        var folder = BadInputs.NewDirectory(purpose);
        await RunAsync(Settings(folder, BaselineMode.Update));
        return (folder, new BaselineStore(folder, "pr").PathOf(Test));
    }

    /// <summary>Records a baseline, replaces the file with <paramref name="content"/>, and runs the test against it.</summary>
    public static Func<Task> WithFile(string content, BaselineMode mode = BaselineMode.Compare) => async () =>
    {
        var (folder, path) = await RecordAsync("baseline");
        await File.WriteAllTextAsync(path, content);
        await RunAsync(Settings(folder, mode));
    };

    /// <summary>Records a baseline, edits its JSON with <paramref name="edit"/>, and runs the test against it.</summary>
    public static Func<Task> WithEdit(Action<JsonObject> edit, BaselineMode mode = BaselineMode.Compare) => async () =>
    {
        var (folder, path) = await RecordAsync("baseline");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        edit(json);
        await File.WriteAllTextAsync(path, json.ToJsonString());
        await RunAsync(Settings(folder, mode));
    };

    /// <summary>The first route of the first scenario of a baseline file's JSON.</summary>
    public static JsonObject Route(JsonObject file) => file["scenarios"]![0]!["routes"]![0]!.AsObject();

    private sealed class StubTarget : ILoadTarget
    {
        public string Description => "stub";

        public bool InProcess => true;

        public HttpClient CreateClient() => new();
    }
}
