using PerfRegression.Tool.Tests.Support;

namespace PerfRegression.Tool.Tests;

/// <summary><c>dotnet perf report</c> on a results folder written by a real run.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly ResultFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task A_run_gets_its_report_with_targets_time_and_bottleneck_written_to_the_file_asked()
    {
        await _folders.RunAsync("run");
        var file = _folders.Path(Path.Combine("docs", "performance-report.md"));

        var (code, output, error) = PerfTool.Run("report", _folders.Path("run"), "-o", file, "--title", "Calendar report");

        error.Should().BeEmpty();
        code.Should().Be(0, output);
        output.Should().Contain("written to " + Path.GetFullPath(file));
        var report = File.ReadAllText(file);
        report.Should().StartWith("# Calendar report\n\n1 test, 1 passed, 0 failed.")
            .And.Contain("## Where the time went").And.Contain("| PlanTests.Calendar | calendar |").And.Contain("### Bottlenecks");
        Directory.GetFiles(Path.GetDirectoryName(file)!).Should().ContainSingle("the report is written through a temporary file that is moved into place");
    }

    [Fact]
    public void A_folder_without_results_is_refused_with_what_to_give()
    {
        var (code, _, error) = PerfTool.Run("report", _folders.Path("nothing"));

        code.Should().Be(2);
        error.Should().Contain("there is no tests/ folder").And.Contain("give that folder");
    }
}
