namespace PerfRegression.Measurement;

/// <summary>The managed heap of this process, read after full collections so that only live objects are counted.</summary>
internal static class ManagedHeap
{
    /// <summary>
    /// Collects everything (blocking and compacting, twice around the finalizers, so objects a finalizer released go
    /// too) and returns the bytes still live. Takes tens of milliseconds on a heap of hundreds of megabytes; called
    /// only outside the measured phase.
    /// </summary>
    public static long LiveBytesAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <summary>
    /// One full blocking collection and the bytes still live: a soak's sample, taken while the load runs, so it pauses
    /// the process once (no compaction, no wait for finalizers). Consistent from sample to sample, which is what a trend needs.
    /// </summary>
    public static long LiveBytesAfterCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
