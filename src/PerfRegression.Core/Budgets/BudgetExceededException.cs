namespace PerfRegression;

/// <summary>Thrown when a budget is broken or cannot be checked; the message is the full sectioned report.</summary>
public sealed class BudgetExceededException : Exception
{
    /// <summary>Creates the exception from an evaluation that did not pass.</summary>
    public BudgetExceededException(BudgetEvaluation evaluation)
        : base((evaluation ?? throw new ArgumentNullException(nameof(evaluation))).FailureMessage())
    {
        Evaluation = evaluation;
    }

    /// <summary>Creates the exception with a message.</summary>
    public BudgetExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public BudgetExceededException()
        : base("A performance budget was broken.")
    {
    }

    /// <summary>The evaluation that failed, when there is one.</summary>
    public BudgetEvaluation? Evaluation { get; }
}
