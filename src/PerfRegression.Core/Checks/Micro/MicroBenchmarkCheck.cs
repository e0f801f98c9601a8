using System.Globalization;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Budgets and the regression gate for the micro-benchmarks a test runs (<c>MicroBenchmark.RunAsync</c> of
/// PerfRegression.BenchmarkDotNet): mean or median time per operation, bytes allocated per operation and gen-0
/// collections per 1,000 operations against stated limits, and against the micro-benchmark baseline. Stated with
/// <c>[MicroBenchmarkBudget]</c>, or in code with <c>session.AddCheck(new MicroBenchmarkCheck { ... })</c>; a test that
/// runs micro-benchmarks without one gets it with the defaults (the baseline comparison alone).
/// </summary>
/// <remarks>
/// The baseline is <c>baselines/&lt;profile&gt;/micro/&lt;test&gt;.json</c>, recorded, proposed and accepted as the latency
/// baseline is. Time per operation is compared with the gate's statistics, each measured iteration a trial (Mann–Whitney
/// and the Hodges–Lehmann ratio against <see cref="GatePolicy.FailMargin"/>). Allocations are exact: more than
/// <see cref="AllocatedBytesTolerance"/> bytes per operation above the baseline fails, so one extra allocation does.
/// </remarks>
public sealed class MicroBenchmarkCheck : IPerfCheck
{
    /// <summary>The benchmark the budgets apply to, by method name or full name; <see langword="null"/> for every benchmark of the test.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Benchmark { get; init; }

    /// <summary>The most mean time per operation, nanoseconds; <see langword="null"/> for no budget.</summary>
    public double? MeanNanoseconds { get; init; }

    /// <summary>The most median time per operation, nanoseconds; <see langword="null"/> for no budget.</summary>
    public double? MedianNanoseconds { get; init; }

    /// <summary>The most bytes allocated per operation (0: allocates nothing); <see langword="null"/> for no budget.</summary>
    public double? AllocatedBytesPerOperation { get; init; }

    /// <summary>The most generation-0 collections per 1,000 operations; <see langword="null"/> for no budget.</summary>
    public double? Gen0Per1000Operations { get; init; }

    /// <summary>Whether the benchmarks are compared with (and recorded as) a baseline.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CompareWithBaseline { get; init; } = true;

    /// <summary>How time per operation is compared with the baseline (its margins and significance level).</summary>
    /// <value>The default value is <see cref="GatePolicy.Default"/>: a 20% slowdown that is significant at 1% fails.</value>
    public GatePolicy Policy { get; init; } = GatePolicy.Default;

    /// <summary>Bytes per operation above the baseline's that allocations may grow by before failing.</summary>
    /// <value>The default value is 8, under the smallest object (24 bytes), so one more allocation per operation fails.</value>
    public double AllocatedBytesTolerance { get; init; } = 8;

    /// <summary>Decided after the other checks: a run that failed one never becomes a baseline.</summary>
    public bool DecidesLast => true;

    /// <summary>Every problem with the settings; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value, allowZero) in new[] { (nameof(MeanNanoseconds), MeanNanoseconds, false), (nameof(MedianNanoseconds), MedianNanoseconds, false), (nameof(AllocatedBytesPerOperation), AllocatedBytesPerOperation, true), (nameof(Gen0Per1000Operations), Gen0Per1000Operations, true) })
        {
            if (value is { } limit && (!double.IsFinite(limit) || limit < 0 || (!allowZero && limit == 0)))
            {
                problems.Add($"The micro-benchmark budget's {name} is {Problems.Format(limit)}; it must be {(allowZero ? "zero or more" : "greater than zero")} (or unset for no budget).");
            }
        }

        if (!double.IsFinite(AllocatedBytesTolerance) || AllocatedBytesTolerance is < 0 or >= 1024)
        {
            problems.Add($"The micro-benchmark check's AllocatedBytesTolerance is {Problems.Format(AllocatedBytesTolerance)}; it must be between 0 and 1,024 bytes per operation (8 lets no extra allocation through).");
        }

        problems.AddRange(Policy?.Validate() ?? ["The micro-benchmark check's Policy is null; leave it unset for GatePolicy.Default."]);
        return problems;
    }

    /// <inheritdoc />
    public ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>(Validate());
        var notes = new List<string>();
        var items = new List<CheckItem>();
        var results = context.MicroBenchmarks;
        if (results.Count == 0)
        {
            problems.Add("The test has a micro-benchmark check but ran no micro-benchmark, so there is nothing to check. Run one in the test body with MicroBenchmark.RunAsync<TBenchmarks>() (PerfRegression.BenchmarkDotNet), or remove the check.");
        }

        if (results.Select(ProcessDependentCode).FirstOrDefault(s => s.Length > 0) is { } unsettled)
        {
            notes.Add($"This process ran with {unsettled}, so the same code compiles differently from one process to the next and a slowdown against the baseline warns instead of failing (allocations still fail). {SettledJitFix}");
        }

        problems.AddRange(results.Where(r => !r.Optimized).Select(r => $"{r.Benchmark} was measured in a build without optimizations (Debug), whose times say nothing about the code that ships. Run the tests with dotnet test -c Release, or set <Optimize>true</Optimize> in the test project and the projects it benchmarks."));
        var budgeted = Benchmark is null ? results : results.Where(r => Matches(r.Benchmark, Benchmark)).ToArray();
        if (Benchmark is not null && results.Count > 0 && budgeted.Count == 0)
        {
            problems.Add($"No micro-benchmark of the test is named '{Benchmark}' (it ran {string.Join(", ", results.Select(r => r.Benchmark))}). Name one of these in the budget's Benchmark.");
        }

        foreach (var result in budgeted)
        {
            items.AddRange(Budgets(result));
        }

        string? received = null;
        if (CompareWithBaseline && results.Count > 0 && problems.Count == 0)
        {
            received = Gate(context, items, problems, notes);
        }

        var failed = problems.Count > 0 || items.Any(i => i.Severity == CheckSeverity.Fail);
        var body = new List<CheckBlock>();
        body.AddRange(ItemBlocks.Of(items, "benchmark", [0, 1, 4, 5]));

        body.Add(new TextBlock(results.Select(r => r.ToString()).ToArray()));
        if (received is not null)
        {
            body.Add(OwnBaseline.ReceivedBlock(received));
        }

        var summaries = results.Where(r => r.Summary.Length > 0).Select(r => r.Summary).Distinct(StringComparer.Ordinal).ToArray();
        return ValueTask.FromResult(new CheckResult
        {
            Title = "Micro-benchmarks",
            Severity = failed ? CheckSeverity.Fail : items.Select(i => i.Severity).DefaultIfEmpty(CheckSeverity.Pass).Max(),
            Headline = string.Join(", ", items.Where(i => i.Severity is CheckSeverity.Fail or CheckSeverity.Warn).Select(i => $"{i.Subject} {i.Check}: {i.Measured}")),
            Commands = OwnBaseline.AcceptCommand(received),
            Problems = problems,
            Items = items,
            Body = body,
            Notes = notes,
            Warnings = items.Where(i => i.Severity is CheckSeverity.Warn or CheckSeverity.Inconclusive).Select(i => $"{i.Subject} {i.Check}: {i.Reason}").ToArray(),
            WhatToDo = failed && problems.Count == 0
                ? "Profile the benchmark (BenchmarkDotNet's summary is attached) and compare with the baseline's commit; one more allocation per operation shows in allocated bytes. If the change is intended, accept the received micro-benchmark baseline."
                : null,
            Attachments = [.. summaries.Length > 0 ? [new CheckAttachment("micro-benchmarks.md", string.Join("\n\n", summaries))] : Array.Empty<CheckAttachment>(), .. received is not null && File.Exists(received) ? [new CheckAttachment(Path.GetFileName(received), File.ReadAllText(received))] : Array.Empty<CheckAttachment>()],
        });
    }

    /// <summary>Whether <paramref name="benchmark"/> (<c>Type.Method</c>, maybe with parameters) is the one <paramref name="name"/> names.</summary>
    internal static bool Matches(string benchmark, string name)
    {
        var bare = benchmark.Split('(')[0];
        return string.Equals(benchmark, name, StringComparison.Ordinal) || string.Equals(bare, name, StringComparison.Ordinal) || bare.EndsWith("." + name, StringComparison.Ordinal);
    }

    private IEnumerable<CheckItem> Budgets(MicroBenchmarkResult result)
    {
        var evidence = $"{Formatting.Plural(result.IterationNanoseconds.Count, "iteration", "iterations")}, {Formatting.Plural(result.Operations, "operation", "operations")}";
        if (MeanNanoseconds is { } mean)
        {
            yield return Item(result.Benchmark, "mean time/op", mean, result.MeanNanoseconds, Formatting.Nanoseconds, evidence);
        }

        if (MedianNanoseconds is { } median)
        {
            yield return Item(result.Benchmark, "median time/op", median, result.MedianNanoseconds, Formatting.Nanoseconds, evidence);
        }

        if (AllocatedBytesPerOperation is { } bytes)
        {
            yield return result.AllocatedBytesPerOperation is { } allocated
                ? Item(result.Benchmark, "allocated/op", bytes, allocated, Formatting.Bytes, evidence)
                : Unmeasured(result.Benchmark, "allocated/op", Formatting.Bytes(bytes));
        }

        if (Gen0Per1000Operations is { } gen0)
        {
            yield return result.Gen0Per1000Operations is { } collections
                ? Item(result.Benchmark, "gen0 per 1,000 ops", gen0, collections, v => Formatting.Number(v, "#,0.###"), evidence)
                : Unmeasured(result.Benchmark, "gen0 per 1,000 ops", Formatting.Number(gen0, "#,0.###"));
        }
    }

    private static CheckItem Item(string benchmark, string check, double limit, double measured, Func<double, string> format, string evidence) => new()
    {
        Severity = measured <= limit ? CheckSeverity.Pass : CheckSeverity.Fail,
        Subject = benchmark,
        Check = check,
        Expected = $"<= {format(limit)}",
        Measured = format(measured),
        Evidence = evidence,
        Verdict = measured <= limit ? "ok" : "over",
    };

    private static CheckItem Unmeasured(string benchmark, string check, string limit) => new()
    {
        Severity = CheckSeverity.Fail,
        Subject = benchmark,
        Check = check,
        Expected = $"<= {limit}",
        Measured = "not measured",
        Verdict = "not measured",
        Reason = "the run did not measure allocations (BenchmarkDotNet's memory diagnoser); MicroBenchmark.RunAsync turns it on unless its options turn it off",
    };

    /// <summary>Compares each benchmark with the baseline, records or proposes one as the mode says; returns the received file written, if any.</summary>
    private string? Gate(CheckContext context, List<CheckItem> items, List<string> problems, List<string> notes)
        => OwnBaseline.Gate(
            context,
            MicroBenchmarkBaselineFile.Format,
            context.MicroBenchmarks,
            result => result.Benchmark,
            (result, before, factor) => result.AllocatedBytesPerOperation is { } now && before.AllocatedBytesPerOperation is { } was
                ? [CompareTime(result, before, factor), CompareAllocations(result.Benchmark, was, now)]
                : [CompareTime(result, before, factor)],
            complete: true,
            (keep, environment) => Build(context, environment, keep),
            items,
            problems,
            notes);

    /// <summary>
    /// A probe this much slower than at the baseline's measurement means the machine was slower at that moment. A
    /// probe's own noise between processes reaches 10–15%, and an excuse within it would hide real slowdowns; the
    /// slow moments seen on a shared host ran the same code 50–70% slower.
    /// </summary>
    private const double SlowerMachine = 0.25;

    private CheckItem CompareTime(MicroBenchmarkResult result, MicroBenchmarkBaseline before, double factor)
    {
        var baseline = before.IterationNanoseconds.Select(v => v * factor).ToArray();
        var comparison = RegressionComparer.Compare(result.Benchmark, GateStatistic.OperationTime.Name, baseline, result.IterationNanoseconds, before.Operations, result.Operations, Policy);

        // The probes around each measurement say how fast the CPU and its memory ran at that moment. A slowdown measured
        // while either ran slower than at the baseline's is the machine's as much as the code's: it cannot fail the test.
        var slower = new[] { ("the CPU (calibration workload)", result.CalibrationMilliseconds, before.CalibrationMilliseconds), ("memory (probe)", result.MemoryProbeMilliseconds, before.MemoryProbeMilliseconds) }
            .Where(p => p.Item2 is > 0 && p.Item3 is > 0 && p.Item2.Value / p.Item3.Value >= 1 + SlowerMachine)
            .Select(p => $"{p.Item1} {Formatting.SignedPercent((p.Item2!.Value / p.Item3!.Value) - 1)} ({Formatting.Milliseconds(p.Item2.Value)} vs {Formatting.Milliseconds(p.Item3.Value)})")
            .ToArray();
        var excuse = slower.Length > 0
            ? $"the machine ran slower than at the baseline's measurement: {string.Join(", ", slower)}, so this slowdown is not evidence against the code. Run the test again on a quieter machine"
            : ProcessDependentCode(result) is { Length: > 0 } unsettled
                ? $"this process ran with {unsettled}, under which the same code measured up to 60% slower in one process than in the next, so this slowdown is not evidence against the code. {SettledJitFix}"
                : null;
        if (excuse is not null && comparison.Severity is CheckSeverity.Fail or CheckSeverity.Warn && comparison.Verdict == Verdict.Slower)
        {
            comparison = comparison with
            {
                Verdict = Verdict.Inconclusive,
                Severity = CheckSeverity.Warn,
                Reason = $"{comparison.Reason}; but {excuse}",
            };
        }

        return new CheckItem
        {
            Severity = comparison.Severity,
            Subject = result.Benchmark,
            Check = "time/op vs baseline",
            Expected = Formatting.Nanoseconds(RegressionComparer.Median(baseline)),
            Measured = $"{Formatting.Nanoseconds(RegressionComparer.Median(result.IterationNanoseconds))} ({Formatting.SignedPercent(comparison.Ratio - 1)}"
                + (double.IsNaN(comparison.RatioLower) ? string.Empty : $", 95% {Formatting.SignedPercent(comparison.RatioLower - 1)}..{Formatting.SignedPercent(comparison.RatioUpper - 1)}") + ")",
            Evidence = string.Create(CultureInfo.InvariantCulture, $"{baseline.Length}/{result.IterationNanoseconds.Count} iterations") + (double.IsNaN(comparison.PValueSlower) ? string.Empty : $", p={Formatting.Number(comparison.PValueSlower, "0.####")}"),
            Verdict = comparison.Verdict.ToString(),
            Reason = comparison.Verdict == Verdict.Same ? null : comparison.Reason,
        };
    }

    private const string SettledJitFix = "To gate time per operation, set <TieredPGO>false</TieredPGO> in the test project and run its tests with DOTNET_ReadyToRun=0 in their environment (a .runsettings file's EnvironmentVariables, as tests/Perf.Micro.Tests does), one test at a time.";

    /// <summary>
    /// The JIT settings of the measuring process under which the same code compiles differently from one process to the
    /// next ("dynamic PGO and the framework's precompiled (ReadyToRun) code"); empty when there were none.
    /// </summary>
    private static string ProcessDependentCode(MicroBenchmarkResult result)
        => string.Join(" and ", new[] { (result.DynamicPgo, "dynamic PGO"), (result.ReadyToRun, "the framework's precompiled (ReadyToRun) code") }.Where(s => s.Item1).Select(s => s.Item2));

    /// <summary>Allocations per operation are exact: growth beyond the tolerance is one more allocation or a bigger one.</summary>
    private CheckItem CompareAllocations(string benchmark, double was, double now)
    {
        var growth = now - was;
        var (severity, verdict, reason) = growth > AllocatedBytesTolerance
            ? (CheckSeverity.Fail, "More", $"allocates {Formatting.Bytes(growth)} more per operation than the baseline ({Formatting.Bytes(was)} → {Formatting.Bytes(now)}), beyond the {Formatting.Bytes(AllocatedBytesTolerance)} tolerance: at least one more or bigger allocation")
            : growth < -AllocatedBytesTolerance ? (CheckSeverity.Pass, "Less", (string?)null) : (CheckSeverity.Pass, "Same", (string?)null);
        return new CheckItem
        {
            Severity = severity,
            Subject = benchmark,
            Check = "allocated/op vs baseline",
            Expected = $"<= {Formatting.Bytes(was + AllocatedBytesTolerance)} ({Formatting.Bytes(was)} + {Formatting.Bytes(AllocatedBytesTolerance)})",
            Measured = Formatting.Bytes(now),
            Evidence = "exact per operation",
            Verdict = verdict,
            Reason = reason,
        };
    }

    private static MicroBenchmarkBaselineFile Build(CheckContext context, EnvironmentFingerprint environment, MicroBenchmarkBaselineFile? keep)
    {
        var benchmarks = context.MicroBenchmarks.Select(MicroBenchmarkBaseline.Of).ToList();
        benchmarks.AddRange(keep?.Benchmarks.Where(b => benchmarks.All(n => !string.Equals(n.Name, b.Name, StringComparison.Ordinal))) ?? []);
        return new MicroBenchmarkBaselineFile
        {
            Test = context.Test.FullName,
            Profile = context.Settings.Profile,
            Environment = environment,
            CalibrationMilliseconds = Math.Round(Calibration.Milliseconds, 3),
            Benchmarks = benchmarks.OrderBy(b => b.Name, StringComparer.Ordinal).ToList(),
        };
    }
}
