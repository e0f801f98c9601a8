using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using PerfRegression.Engine;
using PerfRegression.Session;

namespace PerfRegression.BenchmarkDotNet;

/// <summary>
/// Runs a BenchmarkDotNet benchmark class (or some of its methods) inside a test, in a short in-process job, and hands
/// what each benchmark measured to the test's session, where <c>[MicroBenchmarkBudget]</c> and the micro-benchmark
/// baseline judge it (<see cref="MicroBenchmarkCheck"/>): <c>[Fact, MicroBenchmarkBudget(MeanMicroseconds = 40)]
/// public Task Plan() => MicroBenchmark.RunAsync&lt;PlanBenchmarks&gt;();</c>.
/// </summary>
/// <remarks>
/// The benchmarks must be built with optimizations, and so must every project their assembly references (keep the
/// benchmark classes in a project that references the code under test only, with <c>&lt;Optimize&gt;true&lt;/Optimize&gt;</c>):
/// a Debug build is refused, since its times say nothing about the code that ships. A run takes the same machine-wide
/// lock as load runs, so no other performance test of this machine measures at the same time; run micro-benchmark
/// tests without other tests of their process in parallel (an xUnit collection with <c>DisableParallelization = true</c>).
/// BenchmarkDotNet's own output (its log and GitHub-flavoured summary) goes to <c>benchmarks/&lt;test&gt;/</c> of the
/// results folder, and the summary is attached to the test.
/// </remarks>
public static class MicroBenchmark
{
    /// <summary>Runs the benchmarks of <typeparamref name="TBenchmarks"/>, or only <paramref name="methods"/> of them.</summary>
    /// <returns>What each benchmark measured, in BenchmarkDotNet's order.</returns>
    /// <exception cref="PerfConfigurationException">The class cannot be benchmarked (no public benchmarks, a name that is not one, a Debug build, invalid options); the message lists every problem with its fix.</exception>
    /// <exception cref="PerfCheckException">BenchmarkDotNet could not run a benchmark (it threw, or its validation failed); the message has its log.</exception>
    public static Task<IReadOnlyList<MicroBenchmarkResult>> RunAsync<TBenchmarks>(params string[] methods)
        where TBenchmarks : class
        => RunAsync(typeof(TBenchmarks), methods, options: null);

    /// <summary>Runs the benchmarks of <paramref name="type"/> (only <paramref name="methods"/> when any are named) with <paramref name="options"/>.</summary>
    /// <returns>What each benchmark measured, in BenchmarkDotNet's order.</returns>
    /// <exception cref="PerfConfigurationException">The class cannot be benchmarked, or the options are invalid; the message lists every problem with its fix.</exception>
    /// <exception cref="PerfCheckException">BenchmarkDotNet could not run a benchmark; the message has its log.</exception>
    public static async Task<IReadOnlyList<MicroBenchmarkResult>> RunAsync(Type type, IReadOnlyList<string>? methods = null, MicroBenchmarkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= new MicroBenchmarkOptions();
        methods ??= [];
        var problems = new Problems();
        problems.AddRange(options.Validate());
        problems.AddRange(BenchmarkClass.Problems(type, methods));
        problems.ThrowIfAny($"The micro-benchmarks of {type.Name}");

        var context = LoadRunContext.Current;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context?.CancellationToken ?? CancellationToken.None);
        var artifacts = ArtifactsFolder(type);
        using var machine = await MachineRunLock.AcquireAsync(TimeProvider.System, linked.Token).ConfigureAwait(false);
        linked.Token.ThrowIfCancellationRequested();

        // BenchmarkDotNet measures synchronously on the thread it runs on: give it one of its own.
        var rounds = await Task.Factory.StartNew(
            () =>
            {
                JitWarmup.Run(type, methods, options.JitWarmup);
                Calibration.WarmUp(TimeSpan.FromSeconds(1));
                return Enumerable.Range(0, options.Rounds).Select(_ =>
                {
                    // How fast this CPU and its memory run now, on this thread, around the round: on a shared host either can
                    // run a third slower, or half as fast, for seconds at a time.
                    var (cpu, memory) = (Calibration.MeasureNow(), Calibration.MeasureMemoryNow());
                    var run = Run(type, methods, options, artifacts);
                    (cpu, memory) = ((cpu + Calibration.MeasureNow()) / 2, (memory + Calibration.MeasureMemoryNow()) / 2);
                    return Results(type, run, linked.Token).Select(r => r with { CalibrationMilliseconds = Math.Round(cpu, 3), MemoryProbeMilliseconds = Math.Round(memory, 3) }).ToArray();
                }).ToArray();
            },
            linked.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).ConfigureAwait(false);
        var results = Best(rounds);
        foreach (var result in results)
        {
            context?.MicroBenchmarkFound(result);
        }

        return results;
    }

    /// <summary>Each benchmark's round with the lowest median, with every round's median kept beside it.</summary>
    private static MicroBenchmarkResult[] Best(MicroBenchmarkResult[][] rounds)
        => rounds[0].Select((first, i) =>
        {
            var all = rounds.Select(r => r[i]).ToArray();
            return all.MinBy(r => r.MedianNanoseconds)! with { RoundMedianNanoseconds = all.Select(r => r.MedianNanoseconds).ToArray() };
        }).ToArray();

    private static (Summary Summary, string Log) Run(Type type, IReadOnlyList<string> methods, MicroBenchmarkOptions options, string artifacts)
    {
        var logger = new AccumulationLogger();
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.DontLogOutput)
            .WithLaunchCount(1)
            .WithWarmupCount(options.WarmupCount)
            .WithIterationCount(options.IterationCount)
            .WithIterationTime(TimeInterval.FromMilliseconds(options.IterationTime.TotalMilliseconds))
            .WithId("PerfRegression");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(logger)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        if (options.MeasureAllocations)
        {
            config = config.AddDiagnoser(MemoryDiagnoser.Default);
        }

        var info = BenchmarkConverter.TypeToBenchmarks(type, config);
        if (methods.Count > 0)
        {
            info = new BenchmarkRunInfo(info.BenchmarksCases.Where(c => methods.Contains(c.Descriptor.WorkloadMethod.Name, StringComparer.Ordinal)).ToArray(), info.Type, info.Config);
        }

        var summary = BenchmarkRunner.Run(info);
        return (summary, logger.GetLog());
    }

    private static MicroBenchmarkResult[] Results(Type type, (Summary Summary, string Log) run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (summary, log) = run;
        var errors = summary.ValidationErrors.Where(e => e.IsCritical).Select(e => e.Message).ToArray();
        var failed = summary.Reports.Where(r => !r.Success || r.AllMeasurements.All(m => m.IterationStage != IterationStage.Result)).Select(r => Name(r.BenchmarkCase)).ToArray();
        if (errors.Length > 0 || failed.Length > 0 || summary.Reports.Length == 0)
        {
            var tail = string.Join('\n', log.Split('\n').TakeLast(40));
            throw new PerfCheckException($"BenchmarkDotNet could not measure the benchmarks of {type.Name}: "
                + (errors.Length > 0 ? $"its validation failed ({string.Join("; ", errors)})" : failed.Length > 0 ? $"{string.Join(", ", failed)} did not complete (a benchmark threw, or its setup did)" : "it ran no benchmark")
                + $". The end of its log:\n{tail}");
        }

        var table = MarkdownTable(summary);
        var optimized = BenchmarkClass.IsOptimized(type.Assembly);
        var pgo = BenchmarkClass.DynamicPgo();
        var readyToRun = BenchmarkClass.ReadyToRun();
        return summary.Reports.Select(report =>
        {
            var measured = report.AllMeasurements.Where(m => m.IterationMode == IterationMode.Workload && m.IterationStage == IterationStage.Result).ToArray();
            var operations = measured.Sum(m => m.Operations);
            var gc = report.GcStats;
            var measuredGc = gc.TotalOperations > 0;
            return new MicroBenchmarkResult(
                Name(report.BenchmarkCase),
                measured.Select(m => m.Nanoseconds / m.Operations).ToArray(),
                operations,
                measuredGc && gc.GetBytesAllocatedPerOperation(report.BenchmarkCase) is { } bytes ? bytes : null,
                measuredGc ? gc.Gen0Collections * 1000.0 / gc.TotalOperations : null,
                optimized)
            {
                Summary = table,
                DynamicPgo = pgo,
                ReadyToRun = readyToRun,
            };
        }).ToArray();
    }

    /// <summary><c>Type.Method</c>, with the parameters of a parameterised benchmark.</summary>
    private static string Name(BenchmarkCase benchmark)
    {
        var name = $"{benchmark.Descriptor.Type.Name}.{benchmark.Descriptor.WorkloadMethod.Name}";
        return benchmark.HasParameters ? $"{name}({benchmark.Parameters.DisplayInfo})" : name;
    }

    private static string MarkdownTable(Summary summary)
    {
        var logger = new AccumulationLogger();
        MarkdownExporter.GitHub.ExportToLog(summary, logger);
        return logger.GetLog().Trim();
    }

    /// <summary>Where BenchmarkDotNet's output goes: <c>benchmarks/&lt;test&gt;/</c> of the results folder, else of the temporary folder.</summary>
    private static string ArtifactsFolder(Type type)
    {
        var session = PerfSession.Current;
        var name = session?.Test.FileName ?? type.Name;
        try
        {
            var settings = session?.Settings ?? PerfSettings.Current;
            return Path.Combine(settings.ResultsDirectoryFor(session?.Test.Directory ?? AppContext.BaseDirectory), "benchmarks", name);
        }
        catch (PerfConfigurationException)
        {
            return Path.Combine(Path.GetTempPath(), "perfregression-benchmarks", name);
        }
    }
}
