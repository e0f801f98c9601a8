namespace PerfRegression.Tool.Commands;

/// <summary>What <c>dotnet perf ab</c> was asked to do, validated as a whole.</summary>
internal sealed class AbOptions
{
    public const int DefaultRounds = 5;
    public const int DefaultTimeoutMinutes = 30;

    public required string Base { get; init; }

    public int Rounds { get; init; } = DefaultRounds;

    public int? Seed { get; init; }

    public string? Output { get; init; }

    public string? Markdown { get; init; }

    public int TimeoutMinutes { get; init; } = DefaultTimeoutMinutes;

    public IReadOnlyList<string> TestArguments { get; init; } = AbCommand.DefaultTestArguments;

    /// <summary>What <c>dotnet build</c> is given: the project or solution and the configuration the tests name, if any.</summary>
    public IReadOnlyList<string> BuildArguments
    {
        get
        {
            var build = new List<string>();
            if (TestArguments.Count > 0 && !TestArguments[0].StartsWith('-'))
            {
                build.Add(TestArguments[0]);
            }

            for (var i = 0; i < TestArguments.Count - 1; i++)
            {
                if (TestArguments[i] is "-c" or "--configuration")
                {
                    build.AddRange(["-c", TestArguments[i + 1]]);
                }
            }

            return build;
        }
    }

    /// <summary>Every problem with the options, in one message.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Base))
        {
            problems.Add("--base is empty: name the git ref to compare with, e.g. --base origin/main.");
        }

        if (Rounds is < 2 or > 50)
        {
            problems.Add($"--rounds is {Rounds}: give 2 to 50 (each round runs the tests twice; the rounds are paired, and one pair shows no spread).");
        }

        if (TimeoutMinutes is < 1 or > 600)
        {
            problems.Add($"--timeout-minutes is {TimeoutMinutes}: give 1 to 600 minutes for one build or one dotnet test.");
        }

        if (TestArguments.Any(a => a is "--no-build"))
        {
            problems.Add("--no-build is among the dotnet test arguments: dotnet perf ab builds both sides itself, once, and always runs the tests with --no-build; leave it out.");
        }

        if (problems.Count > 0)
        {
            throw new PerfResultsException("dotnet perf ab cannot start:\n" + string.Join('\n', problems.Select(p => "  - " + p)));
        }
    }
}

/// <summary>One side of the comparison: where it is checked out and the rounds whose tests failed.</summary>
internal sealed record AbSide(string Name, string Directory)
{
    public List<int> FailedRounds { get; } = [];

    public string ResultsOf(string results, int round) => Path.Combine(results, Name, $"round-{round}");
}
