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
    public async Task An_html_output_file_gets_the_page_with_charts()
    {
        await _folders.RunAsync("run");
        var file = _folders.Path("report.html");

        var (code, output, error) = PerfTool.Run("report", _folders.Path("run"), "-o", file);

        error.Should().BeEmpty();
        code.Should().Be(0, output);
        var page = File.ReadAllText(file);
        page.Should().StartWith("<!DOCTYPE html>").And.Contain("<section class=\"test pass\" id=\"t1\"").And.Contain("id=\"perf-data\"").And.Contain("Latency over time: GET /plan");
    }

    [Fact]
    public async Task A_baselines_folder_that_is_not_there_is_refused()
    {
        await _folders.RunAsync("run");

        var (code, _, error) = PerfTool.Run("report", _folders.Path("run"), "--format", "html", "--baselines", _folders.Path("no-such-baselines"));

        code.Should().Be(2);
        error.Should().Contain("No baselines folder at").And.Contain("leave --baselines out");
    }

    [Fact]
    public void A_folder_without_results_is_refused_with_what_to_give()
    {
        var (code, _, error) = PerfTool.Run("report", _folders.Path("nothing"));

        code.Should().Be(2);
        error.Should().Contain("there is no tests/ folder").And.Contain("give that folder");
    }
}
