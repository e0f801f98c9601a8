namespace PerfRegression.PostgreSql;

/// <summary>
/// Thrown when no PostgreSQL server could be found or started. The message says what each provider
/// reported and how to make one of them work; a test never skips silently for want of a database.
/// </summary>
public sealed class PostgresUnavailableException : Exception
{
    /// <summary>Creates the exception with the full explanation.</summary>
    public PostgresUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the full explanation and its cause.</summary>
    public PostgresUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message; prefer the constructors that explain.</summary>
    public PostgresUnavailableException()
        : base("No PostgreSQL server is available.")
    {
    }
}
