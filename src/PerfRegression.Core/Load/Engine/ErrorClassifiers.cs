namespace PerfRegression.Engine;

/// <summary>
/// Names the error kind of an exception a step threw, where its type alone says too little: an add-on package
/// registers one for its client library (the PostgreSQL package turns a stopped server's <c>NpgsqlException</c>
/// into <c>database connection lost</c>). Without one, the kind is <c>exception {TypeName}</c>.
/// </summary>
public static class ErrorClassifiers
{
    private static readonly Lock Gate = new();
    private static Func<Exception, string?>[] _classifiers = [];

    /// <summary>
    /// Registers <paramref name="classifier"/> for every load run in this process until the returned scope is
    /// disposed. It is asked about the exception and each inner exception in turn, outermost first, and returns the
    /// kind (a few words, the same for every occurrence of one cause) or <see langword="null"/> when it does not know.
    /// Called from every virtual user at once: it must be thread-safe and must not throw.
    /// </summary>
    public static IDisposable Register(Func<Exception, string?> classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        lock (Gate)
        {
            _classifiers = [.. _classifiers, classifier];
        }

        return new Registration(classifier);
    }

    /// <summary>The kind the first classifier names for the exception or one of its inner exceptions; <see langword="null"/> when none does.</summary>
    internal static string? Classify(Exception exception)
    {
        var classifiers = Volatile.Read(ref _classifiers);
        if (classifiers.Length == 0)
        {
            return null;
        }

        // Bounded: a cyclic or absurdly deep chain must not stall a virtual user.
        var current = exception;
        for (var depth = 0; current is not null && depth < 16; depth++, current = current.InnerException)
        {
            foreach (var classifier in classifiers)
            {
                if (classifier(current) is { Length: > 0 } kind)
                {
                    return kind;
                }
            }
        }

        return null;
    }

    private sealed class Registration(Func<Exception, string?> classifier) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
            {
                _classifiers = [.. _classifiers.Where(c => c != classifier)];
            }
        }
    }
}
