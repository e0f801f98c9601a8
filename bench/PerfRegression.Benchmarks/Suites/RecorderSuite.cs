using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PerfRegression.Benchmarks.Support;
using PerfRegression.Engine;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// The per-request cost of recording (BenchmarkDotNet, in-process) and the memory a route's recorder holds
/// after 1 million and 10 million samples: HdrHistogram buckets are fixed at creation, so it must not grow.
/// </summary>
internal static class RecorderSuite
{
    public static Task RunAsync(Figures figures, CancellationToken cancellationToken)
    {
        // Memory first, on a quiet heap, before BenchmarkDotNet has allocated anything of its own. A small fill
        // first gets the fill loop compiled, so the JIT does not allocate during the measured ones.
        MeasureHeldMemory(10_000);
        foreach (var (samples, label) in new[] { (1_000_000L, "1m"), (10_000_000L, "10m") })
        {
            cancellationToken.ThrowIfCancellationRequested();
            var memory = MeasureHeldMemory(samples);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {samples:#,0} samples ({memory.Recorded:#,0} counted, p50 {memory.P50Ms:0.0} ms, p99 {memory.P99Ms:0} ms): heap grew {memory.HeldBytes:#,0} B · allocated {memory.AllocatedBytes:#,0} B · histogram footprint {memory.FootprintBytes:#,0} B"));
            figures.Add($"recorder_allocated_bytes_for_{label}_samples", memory.AllocatedBytes, "0");
            figures.Add($"recorder_histogram_footprint_for_{label}_samples", memory.FootprintBytes, "0");
            if (label == "10m")
            {
                figures.AddWithTarget("recorder_bytes_for_10m_samples", memory.HeldBytes, "0", "<= 2 MB (2,097,152 B)", memory.HeldBytes <= 2 * 1024 * 1024);
            }
            else
            {
                figures.Add("recorder_bytes_for_1m_samples", memory.HeldBytes, "0");
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "PerfRegression.Benchmarks", "BenchmarkDotNet.Artifacts"));
        var summary = BenchmarkRunner.Run<RecordingBenchmark>(config);
        if (summary.HasCriticalValidationErrors
            || summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(RecordingBenchmark.RecordOneRequest)) is not { ResultStatistics: { } statistics } report)
        {
            throw new InvalidOperationException("BenchmarkDotNet produced no result for the recording benchmark; see its output above.");
        }

        // The two parts on their own, to show which one the per-sample cost comes from.
        foreach (var part in summary.Reports.Where(r => r != report && r.ResultStatistics is not null))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  part {part.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo}: mean {part.ResultStatistics!.Mean:0.00} ns, median {part.ResultStatistics.Median:0.00} ns"));
        }

        // What the run's timeline adds to each request, measured side by side in this run (absolute times move with the machine).
        double Mean(string method) => summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Mean;
        figures.Add("recorder_timeline_ns_per_sample", Mean(nameof(RecordingBenchmark.RecordOnly)) - Mean(nameof(RecordingBenchmark.RecordWithoutTimeline)), "0.00");

        var bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase)
            ?? throw new InvalidOperationException("BenchmarkDotNet's memory diagnoser reported no allocation figure.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  per sample: mean {statistics.Mean:0.00} ns, median {statistics.Median:0.00} ns, stddev {statistics.StandardDeviation:0.00} ns, allocated {bytes} B"));
        figures.AddWithTarget("recorder_ns_per_sample", statistics.Mean, "0.00", "<= 100 ns (BenchmarkDotNet mean)", statistics.Mean <= 100);
        figures.AddWithTarget("recorder_bytes_per_sample", bytes, "0", "= 0", bytes == 0);
        return Task.CompletedTask;
    }

    /// <summary>A worker's recorder of one route; <paramref name="withTimeline"/> adds the run's timeline, which every completion feeds on the real clock.</summary>
    internal static WorkerRecorder NewRecorder(bool withTimeline = false)
        => new(
            Scenario.Create("recorder").Get("GET /", "/"),
            new LoadOptions().HistogramSignificantDigits,
            separateServiceTime: false,
            timeline: withTimeline ? new TimelineRecorder(["GET /"], TimeSpan.FromSeconds(1), TimeProvider.System, () => 0, _ => null) : null);

    /// <summary>
    /// Memory held by one worker's recorder of one route after <paramref name="samples"/> realistic, varying
    /// latencies: the growth of the live heap across creating and filling it (full collections before and after),
    /// and, as a cross-check that is exact but includes any garbage, the bytes this thread allocated meanwhile.
    /// </summary>
    private static (long HeldBytes, long AllocatedBytes, long FootprintBytes, long Recorded, double P50Ms, double P99Ms) MeasureHeldMemory(long samples)
    {
        var random = new Random(20_251_123);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var recorder = NewRecorder();
        for (long i = 0; i < samples; i++)
        {
            var micros = NextLatencyMicroseconds(random);
            recorder.Record(0, micros, micros, StepOutcome.Success);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var histogram = recorder.Steps.Single().Recorder.Latency;
        var result = (after - before, allocated, histogram.GetEstimatedFootprintInBytes(), histogram.TotalCount, histogram.GetValueAtPercentile(50) / 1000.0, histogram.GetValueAtPercentile(99) / 1000.0);
        GC.KeepAlive(recorder);
        return result;
    }

    /// <summary>Mostly lognormal around 20 ms (so values spread over many buckets), with 1% slow outliers up to 30 s.</summary>
    private static long NextLatencyMicroseconds(Random random)
    {
        if (random.NextDouble() < 0.01)
        {
            return (long)(100_000 + (random.NextDouble() * 29_900_000));
        }

        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return (long)(20_000 * Math.Exp(0.8 * normal));
    }
}

/// <summary>
/// One request's recording as the runner does it: a timestamp before and after, the conversion to
/// microseconds, and <see cref="WorkerRecorder.Record"/> with a success outcome (closed model: latency only), which
/// also feeds the run's timeline.
/// Public and unsealed because BenchmarkDotNet requires it.
/// </summary>
public class RecordingBenchmark
{
    private static readonly double MicrosecondsPerTick = 1_000_000.0 / TimeProvider.System.TimestampFrequency;
    private readonly TimeProvider _time = TimeProvider.System;
    private WorkerRecorder _recorder = null!;
    private WorkerRecorder _withoutTimeline = null!;

    // As in a run on the real clock: each completion goes to the worker's histogram and to the run's timeline.
    [GlobalSetup]
    public void Setup()
    {
        _recorder = RecorderSuite.NewRecorder(withTimeline: true);
        _withoutTimeline = RecorderSuite.NewRecorder();
    }

    [Benchmark(Description = "timestamps + µs conversion + WorkerRecorder.Record")]
    public void RecordOneRequest()
    {
        var start = _time.GetTimestamp();
        var end = _time.GetTimestamp();
        var micros = (long)((end - start) * MicrosecondsPerTick);
        _recorder.Record(0, micros, micros, StepOutcome.Success);
    }

    [Benchmark(Description = "timestamps + µs conversion only")]
    public long TimestampsOnly()
    {
        var start = _time.GetTimestamp();
        var end = _time.GetTimestamp();
        return (long)((end - start) * MicrosecondsPerTick);
    }

    [Benchmark(Description = "WorkerRecorder.Record only (20 ms)")]
    public void RecordOnly() => _recorder.Record(0, 20_000, 20_000, StepOutcome.Success);

    [Benchmark(Description = "WorkerRecorder.Record only, without the timeline (20 ms)")]
    public void RecordWithoutTimeline() => _withoutTimeline.Record(0, 20_000, 20_000, StepOutcome.Success);
}
