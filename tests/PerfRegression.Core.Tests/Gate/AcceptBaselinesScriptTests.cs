using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Gate;

/// <summary>eng/accept-baselines.sh moves received files over their baselines, and refuses a folder that is not there instead of "accepting" nothing.</summary>
public sealed class AcceptBaselinesScriptTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "perf-accept-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Received_files_replace_their_baselines()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "pr"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "pr", "T.M.json"), "old", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_directory, "pr", "T.M.received.json"), "new", TestContext.Current.CancellationToken);

        var (exit, output) = await RunAsync(_directory);

        exit.Should().Be(0, output);
        output.Should().EndWith("1 baseline(s) accepted.\n");
        (await File.ReadAllTextAsync(Path.Combine(_directory, "pr", "T.M.json"), TestContext.Current.CancellationToken)).Should().Be("new");
        File.Exists(Path.Combine(_directory, "pr", "T.M.received.json")).Should().BeFalse();
    }

    [Fact]
    public async Task A_missing_folder_is_an_error_not_zero_accepted()
    {
        var (exit, output) = await RunAsync(_directory);

        exit.Should().Be(2);
        output.Should().Be($"No baseline folder at {_directory}, so there is nothing to accept. Pass the folder that holds the baselines, or set PERF_BASELINE_DIR.\n");
    }

    private static Task<(int Exit, string Output)> RunAsync(string directory) => EngScript.RunAsync("accept-baselines.sh", directory);
}
