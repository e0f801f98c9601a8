using System.Text.Json;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.BadInputs;

/// <summary>
/// The bad-input catalogue: every input a user can get wrong gets a specific, actionable answer; none passes silently,
/// crashes with a raw .NET exception or hangs. The reliability bench suite reads the outcomes this test writes
/// (PERF_BAD_INPUTS_REPORT) to print its figures.
/// </summary>
// Entries set process-wide environment variables and run short load runs: never beside another test of this class.
[Collection(nameof(BadInputTests))]
[CollectionDefinition(nameof(BadInputTests), DisableParallelization = true)]
public sealed class BadInputTests
{
    public static TheoryData<string> Keys => new(BadInputCatalogue.Inputs.Select(i => i.Key));

    [Theory, MemberData(nameof(Keys))]
    public async Task Each_bad_input_gets_its_specific_message(string key)
    {
        var answer = await BadInputProbe.AskAsync(BadInputCatalogue.Find(key));
        Report(answer);
        answer.Outcome.Should().Be(BadInputOutcome.Specific, answer.Describe());
    }

    [Fact]
    public void Every_input_has_a_unique_key_and_an_expected_message()
    {
        BadInputCatalogue.Inputs.GroupBy(i => i.Key).Where(g => g.Count() > 1).Select(g => g.Key).Should().BeEmpty();
        BadInputCatalogue.Inputs.Where(i => i.Expected.Length == 0 || i.Expected.Any(string.IsNullOrWhiteSpace)).Select(i => i.Key).Should().BeEmpty();
    }

    private static readonly Lock ReportLock = new();

    private static void Report(BadInputAnswer answer)
    {
        var path = Environment.GetEnvironmentVariable("PERF_BAD_INPUTS_REPORT");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var line = JsonSerializer.Serialize(new
        {
            key = answer.Input.Key,
            outcome = answer.Outcome.ToString(),
            exception = answer.Exception?.GetType().FullName,
            message = answer.Exception?.Message,
            milliseconds = answer.Elapsed.TotalMilliseconds,
        });
        lock (ReportLock)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }
}
