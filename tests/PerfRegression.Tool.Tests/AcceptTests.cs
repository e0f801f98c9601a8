using PerfRegression.Tool.Tests.Support;

namespace PerfRegression.Tool.Tests;

/// <summary><c>dotnet perf accept</c>: received baselines become baselines, with what changed.</summary>
public sealed class AcceptTests : IDisposable
{
    private readonly ResultFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Accepting_shows_what_changes_and_replaces_the_baseline()
    {
        await _folders.RunAsync("first", kilobytes: 32);
        var baseline = Path.Combine(_folders.Baselines, "pr", "PlanTests.Calendar.json");
        var received = Path.ChangeExtension(baseline, ".received.json");
        // A run that allocates twice as much fails the gate; its run is proposed as a received baseline.
        (await _folders.RunAsync("second", kilobytes: 64, mode: BaselineMode.Compare)).Passed.Should().BeFalse();
        File.Exists(received).Should().BeTrue();

        var listed = PerfTool.Run("accept", "--baselines", _folders.Baselines);
        listed.ExitCode.Should().Be(0);
        listed.Output.Should().Contain($"{baseline} would be replaced by PlanTests.Calendar.received.json")
            .And.MatchRegex(@"scenario 'calendar' bytes allocated per request: [0-9.]+ KiB → [0-9.]+ KiB \(\+[0-9.]+%\)")
            .And.Contain("Nothing accepted.");
        File.Exists(received).Should().BeTrue("listing accepts nothing");

        var accepted = PerfTool.Run("accept", "PlanTests.Calendar", "--baselines", _folders.Baselines);

        accepted.ExitCode.Should().Be(0, accepted.Error);
        accepted.Output.Should().Contain("1 baseline accepted.");
        File.Exists(received).Should().BeFalse();
        File.ReadAllText(baseline).Should().Contain("\"test\": \"PlanTests.Calendar\"");
    }

    [Fact]
    public async Task An_unknown_test_and_a_missing_folder_are_refused()
    {
        await _folders.RunAsync("strict", mode: BaselineMode.Strict);

        var unknown = PerfTool.Run("accept", "ShoppingTests.List", "--baselines", _folders.Baselines);
        var missing = PerfTool.Run("accept", "--all", "--baselines", _folders.Path("nowhere"));
        var both = PerfTool.Run("accept", "PlanTests.Calendar", "--all", "--baselines", _folders.Baselines);

        unknown.Should().Be((2, string.Empty, "No received baseline belongs to the test 'ShoppingTests.List'. Received: PlanTests.Calendar.received.json.\n"));
        missing.ExitCode.Should().Be(2);
        missing.Error.Should().StartWith($"No baseline folder at {_folders.Path("nowhere")}, so there is nothing to accept.");
        both.Error.Should().Be("Give either --all or a test ('PlanTests.Calendar'), not both.\n");
    }

    [Fact]
    public async Task A_first_baseline_is_created_by_accept_all()
    {
        await _folders.RunAsync("strict", mode: BaselineMode.Strict);

        var (code, output, _) = PerfTool.Run("accept", "--all", "--baselines", _folders.Baselines);

        code.Should().Be(0);
        output.Should().Contain("is created (first baseline)").And.Contain("scenario 'calendar': new (5 trials, GET /plan p95 ");
        File.Exists(Path.Combine(_folders.Baselines, "pr", "PlanTests.Calendar.json")).Should().BeTrue();
    }
}
