namespace PerfRegression.Engine;

/// <summary>The result of executing a step once: success, or the kind of error, plus each check's result.</summary>
internal readonly record struct StepOutcome(string? ErrorKind, bool[]? CheckResults)
{
    public static readonly StepOutcome Success = new(null, null);

    public bool IsSuccess => ErrorKind is null;
}
