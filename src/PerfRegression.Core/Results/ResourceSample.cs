namespace PerfRegression;

/// <summary>
/// One sample of the resources a leak grows, taken during a soak every <see cref="LoadOptions.LeakSampleInterval"/>:
/// the managed heap after a full collection, open handles, threads, and the database connections the process's clients hold.
/// </summary>
/// <param name="Seconds">When, in seconds from the start of the measured phase (trials back to back, when merged).</param>
/// <param name="Requests">Requests completed so far in the measured phase.</param>
/// <param name="HeapBytes">Managed heap after a full collection, bytes.</param>
/// <param name="Handles">Open handles (file descriptors); <see langword="null"/> when they cannot be read.</param>
/// <param name="Threads">The process's threads; <see langword="null"/> when they cannot be read.</param>
/// <param name="DatabaseConnections">Connections held in the database clients' pools; <see langword="null"/> when no client publishes them.</param>
public sealed record ResourceSample(double Seconds, long Requests, long HeapBytes, long? Handles, int? Threads, long? DatabaseConnections);
