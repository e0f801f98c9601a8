using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Output;

/// <summary>The results folder is shared by every test and process: a file in it that cannot be read must never fail the tests that write after it.</summary>
public sealed class ResultsFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(IsolatedOutputs.Root, "results-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("{ \"schemaVersion\": 2, \"verdict\": { \"test\": \"Edited.Test\", \"results\": null } }")]
    [InlineData("{ \"schemaVersion\": 2, \"verdict\": { \"test\": \"Edited.Test\", \"results\": [ null ] } }")]
    [InlineData("{ \"schemaVersion\": 2, \"verdict\": { \"test\": \"Edited.Test\", \"results\": [ { \"title\": \"x\", \"items\": null, \"problems\": null, \"notes\": null } ] } }")]
    [InlineData("{ \"schemaVersion\": 2, \"verdict\": { \"test\": \"Truncated.Te")]
    [InlineData("")]
    public void One_unreadable_results_file_is_left_out_and_later_tests_still_write_theirs(string planted)
    {
        Directory.CreateDirectory(Path.Combine(_directory, "tests"));
        File.WriteAllText(Path.Combine(_directory, "tests", "Planted.File.json"), planted);
        var verdict = Verdicts.Of("PlanTests.Calendar", [Verdicts.Calendar], Verdicts.Budgets(broken: false));

        var write = () => ResultsWriter.Write(_directory, "PlanTests.Calendar", verdict);

        write.Should().NotThrow();
        var summary = File.ReadAllText(Path.Combine(_directory, "summary.md"));
        summary.Should().StartWith("## Performance: 1 test, 1 passed").And.Contain("PlanTests.Calendar").And.Contain("1 results file");
        File.Exists(Path.Combine(_directory, "tests", "PlanTests.Calendar.json")).Should().BeTrue();
    }
}
