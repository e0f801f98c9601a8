using PerfRegression.Tool.Tests.Support;

namespace PerfRegression.Tool.Tests;

/// <summary><c>dotnet perf merge</c>: shards' results become one, exactly.</summary>
public sealed class MergeTests : IDisposable
{
    private readonly ResultFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Four_shards_merge_into_the_exact_histogram_of_all_their_requests()
    {
        var shards = new[] { "shard1", "shard2", "shard3", "shard4" };
        for (var i = 0; i < shards.Length; i++)
        {
            // Each shard waits differently, so that averaging their percentiles would be visibly wrong.
            await _folders.RunAsync(shards[i], waitMs: 2 + (6 * i), gate: false);
        }

        var (code, output, error) = PerfTool.Run(["merge", .. shards.Select(_folders.Path), "-o", _folders.Path("merged")]);

        error.Should().BeEmpty();
        code.Should().Be(0, output);
        var expected = LoadReport.Merge(shards.SelectMany(s => TestResults.ReadDirectory(_folders.Path(s)).Single().Scenarios.Single().Trials).ToArray()).Route("GET /plan");
        var merged = TestResults.ReadDirectory(_folders.Path("merged")).Should().ContainSingle().Subject;
        var route = LoadReport.Merge(merged.Scenarios.Single().Trials).Route("GET /plan");
        route.Count.Should().Be(expected.Count);
        (route.Latency.P50, route.Latency.P95, route.Latency.P99, route.Latency.Max).Should().Be((expected.Latency.P50, expected.Latency.P95, expected.Latency.P99, expected.Latency.Max));
        route.ResponseBytes.Should().Be(expected.ResponseBytes);
        merged.Verdict.Results.Select(r => r.Title).Should().HaveCount(4).And.OnlyContain(t => t.StartsWith("Budgets (", StringComparison.Ordinal));
        File.ReadAllText(_folders.Path("merged/summary.md")).Should().StartWith("## Performance: 1 test, 1 passed");
        output.Should().Contain($"PlanTests.Calendar: scenario 'calendar' {expected.Count:N0} requests, GET /plan p50 ");
    }

    [Fact]
    public async Task A_merge_that_could_mix_results_is_refused_with_every_reason()
    {
        await _folders.RunAsync("shard1", gate: false);

        var (code, _, error) = PerfTool.Run("merge", _folders.Path("shard1"), "-o", _folders.Path("shard1"));

        code.Should().Be(2);
        error.Should().Be($"Merge needs two or more results folders; 1 given. The output folder {_folders.Path("shard1")} is one of the inputs; write the merge to a folder of its own. The output folder {_folders.Path("shard1")} already holds results; give an empty or new folder, so no earlier results mix in.\n");
    }
}
