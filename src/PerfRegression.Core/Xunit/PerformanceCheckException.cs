namespace PerfRegression;

/// <summary>
/// Thrown after a performance test whose budgets broke, whose baseline comparison found a confident
/// regression, or whose checks could not be made. The message is the full sectioned verdict.
/// </summary>
public sealed class PerformanceCheckException : Exception
{
    /// <summary>Creates the exception from the evaluation and the gate's outcome.</summary>
    public PerformanceCheckException(string message, BudgetEvaluation? budgets, GateOutcome? gate)
        : base(message)
    {
        Budgets = budgets;
        Gate = gate;
    }

    /// <summary>Creates the exception with a message.</summary>
    public PerformanceCheckException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PerformanceCheckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public PerformanceCheckException()
        : base("A performance check failed.")
    {
    }

    /// <summary>The budget evaluation.</summary>
    public BudgetEvaluation? Budgets { get; }

    /// <summary>The regression gate's outcome, when the gate ran.</summary>
    public GateOutcome? Gate { get; }
}
