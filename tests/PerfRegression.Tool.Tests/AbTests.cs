using System.Diagnostics;
using PerfRegression.Tool.Commands;
using PerfRegression.Tool.Tests.Support;

namespace PerfRegression.Tool.Tests;

/// <summary>
/// <c>dotnet perf ab</c>: what it refuses before building anything, and the paired decision on rounds written by real
/// runs. (A whole comparison of two commits builds and runs a test project twice per round; the README shows one.)
/// </summary>
public sealed class AbTests : IDisposable
{
    private readonly ResultFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public void Every_problem_with_the_options_is_named_in_one_message_and_exits_2()
    {
        var (code, output, error) = PerfTool.Run("ab", "--base", "main", "--rounds", "1", "--timeout-minutes", "0", "--", "--no-build", "--filter", "Category=Performance");

        code.Should().Be(2, output);
        error.Should().Be("dotnet perf ab cannot start:\n"
            + "  - --rounds is 1: give 2 to 50 (each round runs the tests twice; the rounds are paired, and one pair shows no spread).\n"
            + "  - --timeout-minutes is 0: give 1 to 600 minutes for one build or one dotnet test.\n"
            + "  - --no-build is among the dotnet test arguments: dotnet perf ab builds both sides itself, once, and always runs the tests with --no-build; leave it out.\n");
    }

    [Fact]
    public void A_base_that_names_no_commit_is_refused_before_anything_is_built()
    {
        var repository = NewRepository();
        using var output = new StringWriter();

        var act = () => AbCommand.Run(new AbOptions { Base = "no-such-branch" }, repository, output);

        act.Should().Throw<PerfResultsException>().WithMessage("'no-such-branch' names no commit in *: give a branch, tag or commit that exists here (in CI, fetch the base first*");
    }

    [Fact]
    public void A_folder_outside_git_is_refused()
    {
        var folder = Directory.CreateDirectory(_folders.Path("not-a-repository")).FullName;
        using var output = new StringWriter();

        var act = () => AbCommand.Run(new AbOptions { Base = "main" }, folder, output);

        act.Should().Throw<PerfResultsException>().WithMessage("*is not in a git working tree*run dotnet perf ab in the repository whose change you compare.");
    }

    [Fact]
    public void An_output_folder_holding_other_files_is_neither_used_nor_emptied()
    {
        var repository = NewRepository();
        var other = Directory.CreateDirectory(_folders.Path("someone-elses")).FullName;
        File.WriteAllText(Path.Combine(other, "keep.txt"), "mine");
        using var output = new StringWriter();

        var act = () => AbCommand.Run(new AbOptions { Base = "HEAD", Output = other }, repository, output);

        act.Should().Throw<PerfResultsException>().WithMessage($"The output folder {other} holds files that dotnet perf ab did not write*");
        File.ReadAllText(Path.Combine(other, "keep.txt")).Should().Be("mine");
    }

    [Fact]
    public async Task Rounds_in_which_the_head_allocates_more_are_a_confirmed_regression()
    {
        for (var round = 1; round <= 3; round++)
        {
            await _folders.RunAsync($"base-{round}", kilobytes: 32);
            await _folders.RunAsync($"head-{round}", kilobytes: 64);
        }

        var verdict = GateComparison.CompareRounds(Rounds("base"), Rounds("head"));

        verdict.Passed.Should().BeFalse(verdict.Text);
        verdict.Text.Should().Contain("alloc").And.Contain("Before and after the change");
    }

    [Fact]
    public async Task Rounds_of_the_same_code_pass()
    {
        for (var round = 1; round <= 3; round++)
        {
            await _folders.RunAsync($"base-{round}");
            await _folders.RunAsync($"head-{round}");
        }

        var verdict = GateComparison.CompareRounds(Rounds("base"), Rounds("head"));

        verdict.Passed.Should().BeTrue(verdict.Text);
    }

    [Fact]
    public void Rounds_must_pair_up()
    {
        var act = () => GateComparison.CompareRounds([], []);

        act.Should().Throw<PerfResultsException>().WithMessage("Rounds compare a run before the change with a run after it: 0 before and 0 after.*");
    }

    private TestResults[] Rounds(string side)
        => [.. Enumerable.Range(1, 3).Select(round => TestResults.ReadDirectory(_folders.Path($"{side}-{round}")).Single())];

    private string NewRepository()
    {
        var repository = Directory.CreateDirectory(_folders.Path("repository")).FullName;
        Git(repository, "init", "-q");
        File.WriteAllText(Path.Combine(repository, "README.md"), "a repository\n");
        Git(repository, "add", "README.md");
        Git(repository, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "first");
        return repository;
    }

    private static void Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start)!;
        git.WaitForExit(TimeSpan.FromMinutes(1)).Should().BeTrue();
        git.ExitCode.Should().Be(0, git.StandardError.ReadToEnd());
    }
}
