using System.Text.Json.Nodes;
using PerfRegression.Tool.Tests.Support;

namespace PerfRegression.Tool.Tests;

/// <summary><c>dotnet perf compare</c> on result folders written by real runs.</summary>
public sealed class CompareTests : IDisposable
{
    private readonly ResultFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task A_route_that_allocates_twice_as_much_is_a_confirmed_regression_and_exits_1()
    {
        await _folders.RunAsync("before", kilobytes: 32);
        await _folders.RunAsync("after", kilobytes: 64);
        var summary = _folders.Path("step-summary.md");

        var (code, output, error) = PerfTool.Run("compare", _folders.Path("before"), _folders.Path("after"), "--markdown", summary);

        error.Should().BeEmpty();
        code.Should().Be(1, output);
        output.Should().Contain("Performance check failed for PlanTests.Calendar");
        output.Should().MatchRegex(@"\| ❌ \| PlanTests.Calendar \| GET /plan \| alloc vs before \| [0-9.]+ KiB \| [0-9.]+ KiB \(\+[0-9.]+%");
        File.ReadAllText(summary).Should().StartWith("## Performance: 1 test, 0 passed (0 with warnings), 1 failed");
    }

    [Fact]
    public async Task Two_runs_of_the_same_code_compare_without_a_failure()
    {
        await _folders.RunAsync("before");
        await _folders.RunAsync("after");

        var (code, output, _) = PerfTool.Run("compare", _folders.Path("before"), _folders.Path("after"));

        code.Should().Be(0, output);
        output.Should().Contain("| alloc vs before |").And.Contain("| p95 vs before |");
    }

    [Fact]
    public async Task A_test_on_one_side_only_is_named_and_not_compared()
    {
        await _folders.RunAsync("before");
        await _folders.RunAsync("before", test: "PlanTests.Removed");
        await _folders.RunAsync("after");

        var (code, output, _) = PerfTool.Run("compare", _folders.Path("before"), _folders.Path("after"));

        code.Should().Be(0, output);
        output.Should().Contain("- ℹ️ **PlanTests.Removed** ran only before the change: not compared.");
    }

    [Fact]
    public async Task Folders_that_cannot_be_compared_each_get_their_own_message_and_exit_2()
    {
        await _folders.RunAsync("before");
        await _folders.RunAsync("other", test: "ShoppingTests.List");
        Directory.CreateDirectory(_folders.Path("empty/tests"));
        var old = Directory.CreateDirectory(_folders.Path("old/tests")).FullName;
        var file = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(_folders.Path("before/tests"))[0]))!;
        file["schemaVersion"] = 2;
        File.WriteAllText(Path.Combine(old, "PlanTests.Calendar.json"), file.ToJsonString());

        PerfTool.Run("compare", _folders.Path("before"), _folders.Path("missing")).Should().Be((2, string.Empty, $"No results at {_folders.Path("missing")}: there is no tests/ folder. A performance test run writes its results to artifacts/perf (or PERF_RESULTS_DIR); give that folder.\n"));
        PerfTool.Run("compare", _folders.Path("before"), _folders.Path("empty")).Error.Should().StartWith($"No results files in {_folders.Path("empty/tests")}.");
        PerfTool.Run("compare", _folders.Path("before"), _folders.Path("before")).Error.Should().StartWith("Both sides are ");
        PerfTool.Run("compare", _folders.Path("before"), _folders.Path("other")).Error.Should().StartWith("The two folders have no test in common");
        PerfTool.Run("compare", _folders.Path("old"), _folders.Path("before")).Error.Should().Contain("is a results file of version 2, and this PerfRegression reads version 3");
        PerfTool.Run("compare", _folders.Path("before")).ExitCode.Should().Be(1, "System.CommandLine reports a missing argument with its own exit code");
    }
}
