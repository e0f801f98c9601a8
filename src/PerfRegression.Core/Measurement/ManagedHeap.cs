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
}
