namespace PerfRegression;

/// <summary>
/// How long other processes held a large share of the machine within a run, window by window. A run's average
/// dilutes a burst: other processes holding both cores for a twentieth of a run average 5%, yet the requests in
/// that twentieth are the run's slowest, and they set its p95.
/// </summary>
/// <param name="Duration">The total length of the sampling windows in which other processes held at least <see cref="Threshold"/> of the machine's CPU.</param>
/// <param name="Peak">The highest share of the machine's CPU other processes held in one sampling window (0..1).</param>
public readonly record struct OtherProcessesBursts(TimeSpan Duration, double Peak)
{
    /// <summary>A sampling window counts as a burst when other processes held at least this share of all cores (a quarter: half a core of two).</summary>
    public const double Threshold = 0.25;

    /// <summary>Bursts covering at least this share of a run disturb it: enough time to hold every request a p95 is made of.</summary>
    public const double DisturbingShare = 0.05;
}
