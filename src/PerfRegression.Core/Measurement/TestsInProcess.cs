namespace PerfRegression.Measurement;

/// <summary>
/// The performance tests in progress in this process. Costs per request are the whole process's CPU time and
/// allocations, so a measurement during which another performance test ran (its host starting, its database seeding,
/// its own load) counts that test's work as well: the sampler reads this to say so.
/// </summary>
internal static class TestsInProcess
{
    private static int _active;
    private static long _started;

    /// <summary>Performance tests in progress now.</summary>
    public static int Active => Volatile.Read(ref _active);

    /// <summary>Performance tests started so far in this process.</summary>
    public static long Started => Interlocked.Read(ref _started);

    /// <summary>Marks a performance test in progress until the returned scope is disposed.</summary>
    /// <returns>Dispose it when the test ends.</returns>
    public static IDisposable Enter()
    {
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _active);
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref _active);
            }
        }
    }
}
