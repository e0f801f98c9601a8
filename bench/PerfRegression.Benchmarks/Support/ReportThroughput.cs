namespace PerfRegression.Benchmarks.Support;

internal static class ReportThroughput
{
    /// <summary>
    /// Requests per second over the wall time of the measured phase, up to the last worker's stop
    /// (RuntimeHealth.MeasuredDuration): the bare loop's accounting. LoadReport's own Throughput divides by
    /// the planned duration even when the phase overran it, so it is shown beside this but not compared.
    /// </summary>
    public static double WallClockRequestsPerSecond(LoadReport report)
        => report.Runtime is { } runtime
            ? report.Overall.Count / runtime.MeasuredDuration.TotalSeconds
            : throw new InvalidOperationException("The report has no runtime figures, so the wall time of its measured phase is unknown.");
}
