namespace PerfRegression;

/// <summary>
/// A step could not build its request for one virtual user (e.g. its path function returned null). Recorded as an
/// error of <see cref="Kind"/>, like any failure of the system under test, so the run goes on and the error rate shows it.
/// </summary>
internal sealed class InvalidStepException(string kind, string message) : InvalidOperationException(message)
{
    /// <summary>The error kind in the report, e.g. <c>no path</c>.</summary>
    public string Kind { get; } = kind;
}
