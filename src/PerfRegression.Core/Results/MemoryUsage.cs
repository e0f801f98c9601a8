namespace PerfRegression;

/// <summary>
/// What a run did to this process's memory, measured when the run is asked to (<see cref="LoadOptions.MeasureMemory"/>,
/// or a memory budget on the test): the managed heap after a full, blocking, compacting collection just before and just
/// after the measured phase, what it grew by, and the largest working set sampled meanwhile.
/// </summary>
/// <remarks>
/// With an in-memory target the API's heap is this process's heap, so these figures are the app's plus the test's and
/// the runner's. The runner keeps its own share out of the growth: its recorders and histograms are allocated before
/// the first collection, a request allocates nothing of the runner's, and what it does keep during the run (the
/// timeline and runtime samples) is under 100 KB a minute. Other tests running in the same process at the same time
/// count as growth too; the budget check refuses such a run (see <see cref="RuntimeHealth.OtherTestsInProcess"/>).
/// Precision: the collection leaves only live objects, so the heap figures are exact to the byte at that moment;
/// what the growth means depends on the run: a cache that fills once grows once, a leak grows with every request.
/// </remarks>
/// <param name="HeapBeforeBytes">Managed heap after a full collection, before the measured phase (the first run's, when merged).</param>
/// <param name="HeapAfterBytes">Managed heap after a full collection, after the measured phase (the last run's, when merged).</param>
/// <param name="GrowthBytes">What the heap grew by over the measured phase (summed over merged runs); negative when it shrank.</param>
/// <param name="WorkingSetPeakBytes">The largest working set (resident memory) sampled during the measured phase; <see langword="null"/> when not sampled.</param>
/// <param name="Requests">Requests completed in the measured phase.</param>
public sealed record MemoryUsage(long HeapBeforeBytes, long HeapAfterBytes, long GrowthBytes, long? WorkingSetPeakBytes, long Requests)
{
    /// <summary>Heap growth per 1,000 requests, bytes: what a leak costs per unit of traffic.</summary>
    public double GrowthPer1000Requests => GrowthBytes * 1000.0 / Math.Max(Requests, 1);

    /// <summary>
    /// The memory of runs made one after another (trials): the first heap before, the last heap after, the growths
    /// summed, the largest working set. <see langword="null"/> when any run did not measure memory.
    /// </summary>
    public static MemoryUsage? Combine(IReadOnlyList<MemoryUsage?> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0 || parts.Any(p => p is null))
        {
            return null;
        }

        var measured = parts.Select(p => p!).ToArray();
        var workingSets = measured.Where(p => p.WorkingSetPeakBytes is not null).Select(p => p.WorkingSetPeakBytes!.Value).ToArray();
        return new MemoryUsage(
            measured[0].HeapBeforeBytes,
            measured[^1].HeapAfterBytes,
            measured.Sum(p => p.GrowthBytes),
            workingSets.Length > 0 ? workingSets.Max() : null,
            measured.Sum(p => p.Requests));
    }
}
