namespace PerfRegression;

/// <summary>One named step of a scenario. Each step is a route in the report, with its own statistics.</summary>
public sealed class ScenarioStep
{
    internal ScenarioStep(string name, Func<VirtualUser, CancellationToken, ValueTask<StepOutcome>> execute, IReadOnlyList<Check> checks, bool isHttp)
    {
        Name = name;
        Execute = execute;
        Checks = checks;
        IsHttp = isHttp;
    }

    /// <summary>The step's name, which is its route name in the report and in budgets.</summary>
    public string Name { get; }

    /// <summary>The checks applied to the step's response.</summary>
    public IReadOnlyList<Check> Checks { get; }

    /// <summary>Whether the step sends an HTTP request through the user's client.</summary>
    public bool IsHttp { get; }

    internal Func<VirtualUser, CancellationToken, ValueTask<StepOutcome>> Execute { get; }
}

/// <summary>The result of executing a step once: success, or the kind of error, plus each check's result.</summary>
internal readonly record struct StepOutcome(string? ErrorKind, bool[]? CheckResults)
{
    public static readonly StepOutcome Success = new(null, null);

    public bool IsSuccess => ErrorKind is null;
}
