using PerfRegression.Measurement;

namespace PerfRegression.Engine;

/// <summary>
/// Samples what a leak grows during a soak's measured phase (<see cref="LoadOptions.LeakSampleInterval"/>): at its
/// start, every interval, and at its end. Each sample takes a full collection first, so the heap counts live objects only.
/// </summary>
internal sealed class ResourceSampler(TimeProvider time, TimeSpan interval, Func<long> completed)
{
    private readonly List<ResourceSample> _samples = [];
    private readonly long _start = time.GetTimestamp();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Take();
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Take();
            }
        }
        catch (OperationCanceledException)
        {
            // The phase is over; the caller takes the last sample.
        }
    }

    /// <summary>Takes the last sample and returns them all, in order.</summary>
    public IReadOnlyList<ResourceSample> Finish()
    {
        Take();
        lock (_samples)
        {
            return _samples.ToArray();
        }
    }

    private void Take()
    {
        var heap = ManagedHeap.LiveBytesAfterCollection();
        var sample = new ResourceSample(time.GetElapsedTime(_start).TotalSeconds, completed(), heap, ProcessResources.Handles(), ProcessResources.Threads(), DatabaseConnections.Read());
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }
}
