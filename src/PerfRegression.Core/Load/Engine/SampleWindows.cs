namespace PerfRegression.Engine;

/// <summary>
/// The number of the runtime sampler's open window. Workers read it on each completion to note their first completion
/// in the window; the sampler closes the window when it takes a sample. Shared by one run's workers and its sampler.
/// </summary>
internal sealed class SampleWindows
{
    private int _open;

    /// <summary>The window completions now fall into.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Closes the open window and returns its number; later completions fall into the next.</summary>
    public int Close() => Interlocked.Increment(ref _open) - 1;
}
