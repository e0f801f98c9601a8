namespace PerfRegression;

/// <summary>
/// Thrown when options, a load profile, a scenario or a budget are invalid. The message lists every
/// problem found, each with the offending value and how to fix it.
/// </summary>
public sealed class PerfConfigurationException : ArgumentException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="subject">What was validated, e.g. <c>LoadOptions</c>.</param>
    /// <param name="problems">Every problem found; at least one.</param>
    public PerfConfigurationException(string subject, IReadOnlyList<string> problems)
        : base(BuildMessage(subject, problems))
    {
        Subject = subject;
        Problems = problems;
    }

    /// <summary>Creates the exception with a single message.</summary>
    public PerfConfigurationException(string message)
        : base(message)
    {
        Subject = string.Empty;
        Problems = [message];
    }

    /// <summary>Creates the exception with a single message and its cause.</summary>
    public PerfConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Subject = string.Empty;
        Problems = [message];
    }

    /// <summary>Creates the exception with no message; prefer the constructors that say what is wrong.</summary>
    public PerfConfigurationException()
        : this("The performance test configuration is invalid.")
    {
    }

    /// <summary>What was validated.</summary>
    public string Subject { get; }

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string BuildMessage(string subject, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var noun = problems.Count == 1 ? "problem" : "problems";
        return $"{subject} has {problems.Count} {noun}:{Environment.NewLine}"
            + string.Join(Environment.NewLine, problems.Select(p => "- " + p));
    }
}
