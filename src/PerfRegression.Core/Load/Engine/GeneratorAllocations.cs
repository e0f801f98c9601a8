namespace PerfRegression.Engine;

/// <summary>
/// What the load generator allocates once per run or per second rather than per request (its histograms, created on
/// a worker's first request to a step; the runtime sampler's readings of /proc): counted exactly, on the allocating
/// thread, and left out of the run's allocated bytes. Otherwise a slower trial, with fewer requests to share them,
/// would show more bytes per request without any change in the code under test.
/// </summary>
internal sealed class GeneratorAllocations
{
    private long _bytes;

    /// <summary>The bytes counted so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Runs <paramref name="create"/> and counts what it allocated on this thread.</summary>
    public T Count<T>(Func<T> create)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var created = create();
        Interlocked.Add(ref _bytes, GC.GetAllocatedBytesForCurrentThread() - before);
        return created;
    }

    /// <summary>Runs <paramref name="action"/> and counts what it allocated on this thread.</summary>
    public void Count(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        Interlocked.Add(ref _bytes, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
