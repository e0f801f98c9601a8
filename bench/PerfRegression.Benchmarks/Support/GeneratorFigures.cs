namespace PerfRegression.Benchmarks.Support;

/// <summary>A load generator's figures over a measured phase; CPU and allocations are the whole process's.</summary>
internal readonly record struct GeneratorFigures(double RequestsPerSecond, double CpuMicrosecondsPerRequest, double AllocatedBytesPerRequest)
{
    /// <summary>
    /// The runner's figures from its report. Requests are divided by the wall time of the measured phase up to
    /// the last worker's stop (RuntimeHealth.MeasuredDuration, the span LoadReport's Throughput uses too), as the
    /// bare loop counts; CPU time and allocations come from the same runtime sample.
    /// </summary>
    public static GeneratorFigures FromReport(LoadReport report)
    {
        if (report.Runtime is not { } runtime || report.Overall.Count == 0)
        {
            throw new InvalidOperationException("The report has no runtime figures or no requests, so its throughput cannot be compared.");
        }

        var count = report.Overall.Count;
        var seconds = runtime.MeasuredDuration.TotalSeconds;
        return new GeneratorFigures(
            count / seconds,
            runtime.CpuAverage * runtime.CpuCores * seconds * 1e6 / count,
            (double)runtime.AllocatedBytes / count);
    }
}
