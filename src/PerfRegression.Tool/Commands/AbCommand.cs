using System.CommandLine;
using System.Globalization;
using PerfRegression.Text;

namespace PerfRegression.Tool.Commands;

/// <summary>
/// <c>dotnet perf ab --base &lt;ref&gt; [-- &lt;dotnet test arguments&gt;]</c>: the base commit (a git worktree) and the
/// working tree are built, then their performance tests run alternately for a number of rounds, the order drawn per
/// round, each run in a process of its own; each test is judged on the paired rounds with the gate's statistics.
/// No baseline file is read or written: each run records into a throwaway folder, and its results files are the evidence.
/// </summary>
internal static class AbCommand
{
    /// <summary>What <c>dotnet test</c> is given when no arguments follow <c>--</c>.</summary>
    internal static readonly string[] DefaultTestArguments = ["--filter", "Category=Performance"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var baseRef = new Option<string>("--base") { Description = "The git ref to compare with (a branch, tag or commit, e.g. origin/main).", Required = true };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of one base and one head run each (2 to 50).", DefaultValueFactory = _ => AbOptions.DefaultRounds };
        var seed = new Option<int?>("--seed") { Description = "Seed of the per-round order, to repeat a comparison's order (default: drawn)." };
        var into = new Option<string?>("--output", "-o") { Description = "Where each run's results and log go (default: artifacts/perf-ab in the repository)." };
        var markdown = new Option<string?>("--markdown") { Description = "Also append the Markdown table to this file (e.g. $GITHUB_STEP_SUMMARY)." };
        var timeout = new Option<int>("--timeout-minutes") { Description = "The longest one build or one dotnet test may take before it is stopped.", DefaultValueFactory = _ => AbOptions.DefaultTimeoutMinutes };
        var testArguments = new Argument<string[]>("dotnet-test-arguments") { Description = "After --: what dotnet test is given (default: --filter Category=Performance).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("ab", "Compare the working tree with a base commit in the same job: both built, their performance tests run alternately for several rounds (order drawn per round), each test judged on the paired rounds. Exit code 1 on a confirmed regression.")
        {
            baseRef, rounds, seed, into, markdown, timeout, testArguments,
        };
        command.SetAction(parse => ExitCodes.Guard(error, () => Run(
            new AbOptions
            {
                Base = parse.GetValue(baseRef)!,
                Rounds = parse.GetValue(rounds),
                Seed = parse.GetValue(seed),
                Output = parse.GetValue(into),
                Markdown = parse.GetValue(markdown),
                TimeoutMinutes = parse.GetValue(timeout),
                TestArguments = parse.GetValue(testArguments) is { Length: > 0 } given ? given : DefaultTestArguments,
            },
            Directory.GetCurrentDirectory(),
            output)));
        return command;
    }

    public static int Run(AbOptions options, string workingDirectory, TextWriter output)
    {
        options.Validate();
        var repository = GitWorktree.RepositoryOf(workingDirectory);
        var commit = GitWorktree.Resolve(repository, options.Base);
        var relative = Path.GetRelativePath(repository, workingDirectory);
        var results = Path.GetFullPath(options.Output ?? Path.Combine(repository, "artifacts", "perf-ab"));
        AbResultsFolder.Prepare(results);
        var scratch = Path.Combine(Path.GetTempPath(), "perfregression-ab-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var timeout = TimeSpan.FromMinutes(options.TimeoutMinutes);
        var seed = options.Seed ?? Random.Shared.Next();
        var time = TimeProvider.System;
        var began = time.GetTimestamp();

        output.WriteLine($"dotnet perf ab: {options.Base} ({commit[..Math.Min(10, commit.Length)]}) against the working tree, {options.Rounds} rounds of: dotnet test --no-build {string.Join(' ', options.TestArguments)} (order seed {seed})");
        using var worktree = GitWorktree.Add(repository, Path.Combine(scratch, "base"), commit);
        var sides = new[]
        {
            new AbSide("base", Path.Combine(worktree.Path, relative)),
            new AbSide("head", workingDirectory),
        };
        foreach (var side in sides)
        {
            Build(side, options, results, timeout, output);
        }

        var order = new Random(seed);
        for (var round = 1; round <= options.Rounds; round++)
        {
            var first = order.Next(2);
            var line = new List<string>();
            foreach (var side in new[] { sides[first], sides[1 - first] })
            {
                var started = time.GetTimestamp();
                var (code, _) = ChildProcess.Run(
                    "dotnet",
                    ["test", "--no-build", .. options.TestArguments],
                    side.Directory,
                    timeout,
                    new Dictionary<string, string?>
                    {
                        ["PERF_BASELINE"] = "update",
                        ["PERF_BASELINE_DIR"] = Path.Combine(scratch, "baselines", $"{side.Name}-{round}"),
                        ["PERF_RESULTS_DIR"] = side.ResultsOf(results, round),
                        ["PERF_RUN_ID"] = $"ab-{side.Name}-{round}",
                    },
                    Path.Combine(results, "logs", $"{side.Name}-round-{round}.log"));
                if (code != 0)
                {
                    side.FailedRounds.Add(round);
                }

                line.Add($"{side.Name} {Formatting.Duration(time.GetElapsedTime(started))} {(code == 0 ? "✓" : code < 0 ? "✗ timed out" : "✗ tests failed")}");
            }

            var elapsed = time.GetElapsedTime(began);
            var left = elapsed / round * (options.Rounds - round);
            output.WriteLine($"round {round}/{options.Rounds}: {string.Join(" · ", line)}   (elapsed {Formatting.Duration(elapsed)}{(round < options.Rounds ? $", about {Formatting.Duration(left)} left" : string.Empty)})");
        }

        try
        {
            Directory.Delete(Path.Combine(scratch, "baselines"), recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        return AbDecision.Decide(sides, options, results, output);
    }

    private static void Build(AbSide side, AbOptions options, string results, TimeSpan timeout, TextWriter output)
    {
        var started = TimeProvider.System.GetTimestamp();
        output.Write($"building {side.Name} … ");
        var (code, log) = ChildProcess.Run("dotnet", ["build", .. options.BuildArguments], side.Directory, timeout, logFile: Path.Combine(results, "logs", $"{side.Name}-build.log"));
        if (code != 0)
        {
            output.WriteLine("failed");
            var tail = string.Join('\n', log.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(10));
            throw new PerfResultsException($"The {side.Name} did not build in {side.Directory} (exit code {code}); nothing was compared. The errors:\n{tail}\nThe whole log: {Path.Combine(results, "logs", $"{side.Name}-build.log")}");
        }

        output.WriteLine($"done ({Formatting.Duration(TimeProvider.System.GetElapsedTime(started))})");
    }
}
