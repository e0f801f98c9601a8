namespace PerfRegression;

/// <summary>
/// Thrown when a performance check fails or cannot be made, after a test's body or where a check is made in code
/// (<c>report.EnsureWithin(...)</c>, <c>queryReport.EnsureWithinBudget()</c>). The message is the whole sectioned verdict.
/// </summary>
public sealed class PerfCheckException : Exception
{
    /// <summary>Creates the exception from a verdict that did not pass; its text is the message.</summary>
    public PerfCheckException(TestVerdict verdict)
        : base((verdict ?? throw new ArgumentNullException(nameof(verdict))).Text)
    {
        Verdict = verdict;
    }

    /// <summary>Creates the exception from a verdict that did not pass, with the verdict's text as the console shows it.</summary>
    internal PerfCheckException(TestVerdict verdict, string message)
        : base(message)
    {
        Verdict = verdict;
    }

    /// <summary>Creates the exception with a message.</summary>
    public PerfCheckException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PerfCheckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message; prefer the constructor that takes the verdict.</summary>
    public PerfCheckException()
        : base("A performance check failed.")
    {
    }

    /// <summary>The verdict, with every check's result; <see langword="null"/> when the exception was created from a message.</summary>
    public TestVerdict? Verdict { get; }
}
