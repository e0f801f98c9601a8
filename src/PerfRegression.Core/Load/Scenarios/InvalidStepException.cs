namespace PerfRegression;

/// <summary>
/// A step failed in a way the library names itself: it could not build its request for one virtual user (its path
/// function returned null), or a WebSocket closed, timed out or could not connect. Recorded as an error of
/// <see cref="Kind"/>, like any failure of the system under test, so the run goes on and the error rate shows it.
/// </summary>
internal sealed class InvalidStepException(string kind, string message) : InvalidOperationException(message)
{
    /// <summary>The error kind in the report, e.g. <c>no path</c>.</summary>
    public string Kind { get; } = kind;
}
