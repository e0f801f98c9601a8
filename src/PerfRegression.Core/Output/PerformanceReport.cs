using System.Globalization;
using System.Text;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// A performance report in Markdown, generated from a run's results files: the targets against what was measured,
/// where each scenario's time went (CPU in this process, the database, waiting for a core or for the thread pool,
/// garbage collection), the bottleneck those signals name with the evidence, and the comparison with the baseline
/// where the run made one. Deterministic for given results (no clock, no machine): committed reports change only
/// when the results do.
/// </summary>
public static class PerformanceReport
{
    /// <summary>A share of the mean latency a signal must reach to be named the bottleneck.</summary>
    private const double Dominant = 0.5;

    /// <summary>Renders the report of <paramref name="results"/> (e.g. <see cref="TestResults.ReadDirectory"/>), titled <paramref name="title"/>.</summary>
    public static string Render(IReadOnlyList<TestResults> results, string title = "Performance report")
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.Append("# ").Append(title).Append("\n\n");
        var passed = results.Count(r => r.Verdict.Passed);
        text.Append(CultureInfo.InvariantCulture, $"{Formatting.Plural(results.Count, "test", "tests")}, {Formatting.Count(passed)} passed, {Formatting.Count(results.Count - passed)} failed. ")
            .Append("Generated from the tests' results files by `dotnet perf report`; the figures are those of the run that wrote them.\n\n");

        Targets(text, results);
        WhereTheTimeWent(text, results);
        Memory(text, results);
        CapacitySection(text, results);
        AgainstTheBaseline(text, results);
        return text.ToString();
    }

    private static void Targets(StringBuilder text, IReadOnlyList<TestResults> results)
    {
        text.Append("## Targets and measured values\n\n");
        var rows = Items(results, title => title == "Budgets");
        if (rows.Length == 0)
        {
            text.Append("No test stated a budget.\n\n");
            return;
        }

        ItemTable(text, rows, "| test | route | target | limit | measured | evidence | verdict |");
        text.Append('\n');
    }

    private static void WhereTheTimeWent(StringBuilder text, IReadOnlyList<TestResults> results)
    {
        text.Append("## Where the time went\n\n");
        var scenarios = results.SelectMany(r => r.Scenarios.Where(s => s.Trials.Any(t => t.RecordedLoad)).Select(s => (r.Test, Scenario: s, Report: LoadReport.Merge([.. s.Trials.Where(t => t.RecordedLoad)])))).ToArray();
        if (scenarios.Length == 0)
        {
            text.Append("No test recorded load.\n\n");
            return;
        }

        text.Append("Per request, over every trial of the scenario. CPU is this process's (the load generator's share included when the app runs in-process); database time is what the app's database client reported; waiting for a core is the time this process's threads, all of them together, were ready to run but had none.\n\n");
        text.Append("| test | scenario | requests | mean | p95 | CPU | database | waiting for a core | GC pauses | thread-pool queue | bottleneck |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        var bottlenecks = new List<string>();
        foreach (var (test, scenario, report) in scenarios)
        {
            var signals = Signals.Of(report);
            var (name, evidence) = Bottleneck(signals);
            text.Append(CultureInfo.InvariantCulture, $"| {Cell(Formatting.ClassAndMethod(test))} | {Cell(scenario.Scenario)} | {Formatting.Count(report.Overall.Count)} | {Formatting.Milliseconds(signals.MeanMilliseconds)} | {Formatting.Milliseconds(report.Overall.Latency.P95)} | "
                + $"{Optional(signals.CpuMilliseconds)} | {Optional(signals.DatabaseMilliseconds)}{(signals.DatabaseOperations is { } ops ? $" ({Formatting.Number(ops, "0.#")} {(ops == 1 ? "op" : "ops")})" : string.Empty)} | {Optional(signals.WaitMilliseconds)} | "
                + $"{Formatting.Percent(signals.GcShare)} | {Formatting.Number(signals.QueueAverage, "0.#")} avg, {Formatting.Count(signals.QueueMax)} max | {name} |\n");
            bottlenecks.Add($"- **{Formatting.ClassAndMethod(test)}**, scenario '{scenario.Scenario}': {name}. {evidence}");
        }

        text.Append("\n### Bottlenecks\n\n").Append(string.Join('\n', bottlenecks)).Append("\n\n");
        var recoveries = scenarios.Where(s => s.Report.Recovery is not null).Select(s => $"- **{Formatting.ClassAndMethod(s.Test)}**, scenario '{s.Scenario.Scenario}': {s.Report.Recovery}{(s.Report.Runs > 1 ? " (the slowest of its trials)" : string.Empty)}.").ToArray();
        if (recoveries.Length > 0)
        {
            text.Append("### Recovery after a spike or flash crowd\n\n").Append(string.Join('\n', recoveries)).Append("\n\n");
        }
    }

    private static void Memory(StringBuilder text, IReadOnlyList<TestResults> results)
    {
        text.Append("## Memory\n\n");
        var measured = results.SelectMany(r => r.Scenarios.Select(s => (r.Test, s.Scenario, Memory: MemoryUsage.Combine(s.Trials.Where(t => t.RecordedLoad).Select(t => t.Memory).ToArray())))).Where(m => m.Memory is not null).ToArray();
        var leaks = Items(results, title => title == "Leaks");
        if (measured.Length == 0 && leaks.Length == 0)
        {
            text.Append("No test measured memory in this run (a `[MemoryBudget]` or a `[LeakCheck]` does).\n\n");
            return;
        }

        if (measured.Length > 0)
        {
            text.Append("The managed heap after full collections before and after each scenario's measured phase, and the largest working set sampled meanwhile.\n\n")
                .Append("| test | scenario | requests | heap before | heap after | growth | growth per 1,000 requests | working set peak |\n|---|---|---|---|---|---|---|---|\n");
            foreach (var (test, scenario, memory) in measured)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {Cell(Formatting.ClassAndMethod(test))} | {Cell(scenario)} | {Formatting.Count(memory!.Requests)} | {Formatting.Bytes(memory.HeapBeforeBytes)} | {Formatting.Bytes(memory.HeapAfterBytes)} | {Formatting.Bytes(memory.GrowthBytes)} | {Formatting.Bytes(memory.GrowthPer1000Requests)} | {(memory.WorkingSetPeakBytes is { } peak ? Formatting.Bytes(peak) : "n/a")} |\n");
            }

            text.Append('\n');
        }

        if (leaks.Length > 0)
        {
            ItemTable(text, leaks, "| test | scenario | resource | limit | growth | evidence | verdict |");
            text.Append('\n');
        }
    }

    /// <summary>What each capacity search found, against its minimum and baseline, with the curve it drew.</summary>
    private static void CapacitySection(StringBuilder text, IReadOnlyList<TestResults> results)
    {
        var checks = results.SelectMany(r => r.Verdict.Results.Where(c => c.Title == "Capacity").Select(c => (r.Test, Check: c))).ToArray();
        if (checks.Length == 0)
        {
            return;
        }

        text.Append("## Capacity\n\n")
            .Append("The highest arrival rate each search kept within its budgets, the lowest that broke them, and the signals at the knee (`Capacity.FindAsync`).\n\n");
        ItemTable(text, checks.SelectMany(c => c.Check.Items.Select(item => (c.Test, Item: item))).ToArray(), "| test | scenario | check | expected | measured | evidence | verdict |");
        foreach (var (test, check) in checks)
        {
            foreach (var block in check.Body)
            {
                if (block is TextBlock lines)
                {
                    text.Append('\n').Append(CultureInfo.InvariantCulture, $"**{Formatting.ClassAndMethod(test)}**, ").Append(string.Join(' ', lines.Lines.Select(Cell))).Append("\n\n");
                }
                else if (block is TableBlock table && table.Header.Count > 0 && table.Header[0] == "offered")
                {
                    // The curve; the items' own table is the one above, over every test.
                    text.Append("| ").Append(string.Join(" | ", table.Header)).Append(" |\n|").Append(string.Concat(table.Header.Select(_ => "---|"))).Append('\n');
                    foreach (var row in table.Rows)
                    {
                        text.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
                    }
                }
            }
        }

        text.Append('\n');
    }

    private static void AgainstTheBaseline(StringBuilder text, IReadOnlyList<TestResults> results)
    {
        text.Append("## Against the baseline\n\n");
        var rows = Items(results, title => title.StartsWith("Baseline", StringComparison.Ordinal));
        if (rows.Length == 0)
        {
            text.Append("No test was compared with a baseline in this run.\n");
            return;
        }

        ItemTable(text, rows, "| test | route | statistic | baseline | measured | evidence | verdict |");

        var reasons = rows.Where(r => r.Item.Reason is not null).Select(r => $"- {Formatting.ClassAndMethod(r.Test)}, {r.Item.Subject} {r.Item.Check}: {r.Item.Reason}").ToArray();
        if (reasons.Length > 0)
        {
            text.Append('\n').Append(string.Join('\n', reasons)).Append('\n');
        }
    }

    /// <summary>
    /// The signal that explains most of a request's time, in order of how surely it does: a saturated machine, a
    /// starved thread pool, requests waiting for a pooled database connection, garbage collection, the database, waiting for a core, CPU in the app; else none.
    /// </summary>
    internal static (string Name, string Evidence) Bottleneck(Signals s)
    {
        if (s.MachineCpu is >= RuntimeHealth.CpuSaturationThreshold)
        {
            return ("CPU, machine saturated", $"The machine's cores were busy {Formatting.Percent(s.MachineCpu.Value)} of the run (this process {Formatting.Percent(s.ProcessCpu)}); requests queue for a core, so latency measures the queue. Find what takes the CPU (the CPU column), or give the system more cores.");
        }

        if (s.QueueAverage >= RuntimeHealth.ThreadPoolQueueThreshold)
        {
            return ("thread-pool starvation", $"On average {Formatting.Number(s.QueueAverage, "0.#")} work items waited for a thread-pool thread (at most {Formatting.Count(s.QueueMax)}): blocking calls hold threads. Find sync-over-async or blocking I/O in the request path.");
        }

        if (s.PoolWaiting is { } pool && pool.Average >= RuntimeHealth.ConnectionPoolWaitingThreshold)
        {
            return ("connection-pool waits", $"On average {Formatting.Number(pool.Average, "0.#")} requests waited for a database connection (at most {Formatting.Count(pool.Max)}): the pool is exhausted. Hold connections for less time (no work between opening and disposing one), or raise Maximum Pool Size within what the server allows.");
        }

        if (s.GcShare >= 0.05)
        {
            return ("garbage collection", $"GC pauses took {Formatting.Percent(s.GcShare)} of the run ({Formatting.Bytes(s.AllocatedBytesPerRequest)} allocated per request). Allocate less per request, or enable server GC.");
        }

        if (s.DatabaseMilliseconds is { } database && database >= Dominant * s.MeanMilliseconds)
        {
            return ("the database", $"{Formatting.Milliseconds(database)} of the mean {Formatting.Milliseconds(s.MeanMilliseconds)} per request is database time ({Formatting.Number(s.DatabaseOperations ?? 0, "0.#")} operations per request). Look at the statements and their plans (the database checks), or make fewer round trips.");
        }

        if (s.WaitMilliseconds is { } wait && wait >= 0.3 * s.MeanMilliseconds)
        {
            return ("waiting for a core", $"This process's threads waited {Formatting.Milliseconds(wait)} per request for a core, against a mean latency of {Formatting.Milliseconds(s.MeanMilliseconds)}: the machine is shared or too small for the load.");
        }

        if (s.CpuMilliseconds is { } cpu && cpu >= Dominant * s.MeanMilliseconds)
        {
            return ("CPU in the app", $"{Formatting.Milliseconds(cpu)} of CPU per request against a mean latency of {Formatting.Milliseconds(s.MeanMilliseconds)}: the code itself. Profile the route (dotnet-trace) to find the hot path.");
        }

        return ("none stands out", $"Mean latency {Formatting.Milliseconds(s.MeanMilliseconds)}: CPU {Optional(s.CpuMilliseconds)}, database {Optional(s.DatabaseMilliseconds)}, waiting for a core {Optional(s.WaitMilliseconds)} per request, GC pauses {Formatting.Percent(s.GcShare)}, machine CPU {(s.MachineCpu is { } m ? Formatting.Percent(m) : "n/a")}; the rest is waiting the process does not see (I/O, think time of the system, locks).");
    }

    /// <summary>Every item of the checks whose title <paramref name="section"/> accepts, with its test.</summary>
    private static (string Test, CheckItem Item)[] Items(IReadOnlyList<TestResults> results, Func<string, bool> section)
        => results.SelectMany(r => r.Verdict.Results.Where(c => section(c.Title)).SelectMany(c => c.Items).Select(item => (r.Test, Item: item))).ToArray();

    /// <summary>A table of check items under <paramref name="header"/> (seven columns: test, subject, check, expected, measured, evidence, verdict).</summary>
    private static void ItemTable(StringBuilder text, (string Test, CheckItem Item)[] rows, string header)
    {
        text.Append(header).Append("\n|---|---|---|---|---|---|---|\n");
        foreach (var (test, item) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Cell(Formatting.ClassAndMethod(test))} | {Cell(item.Subject)} | {Cell(item.Check)} | {Cell(item.Expected)} | {Cell(item.Measured)} | {Cell(item.Evidence)} | {Verdict(item)} |\n");
        }
    }

    private static string Verdict(CheckItem item) => item.Severity switch
    {
        CheckSeverity.Fail => $"❌ {item.Verdict}",
        CheckSeverity.Warn => $"⚠️ {item.Verdict}",
        CheckSeverity.Inconclusive => $"❔ {item.Verdict}",
        _ => $"✅ {item.Verdict}",
    };

    private static string Optional(double? milliseconds) => milliseconds is { } value ? Formatting.Milliseconds(value) : "n/a";


    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>What a scenario's merged report says about where a request's time went.</summary>
    internal sealed record Signals(double MeanMilliseconds, double? CpuMilliseconds, double? DatabaseMilliseconds, double? DatabaseOperations, double? WaitMilliseconds, double GcShare, double AllocatedBytesPerRequest, double QueueAverage, long QueueMax, double ProcessCpu, double? MachineCpu)
    {
        /// <summary>Requests waiting for a pooled database connection, on average and at most; <see langword="null"/> when no client published it.</summary>
        public (double Average, long Max)? PoolWaiting { get; init; }

        public static Signals Of(LoadReport report)
        {
            var requests = Math.Max(report.Overall.Count, 1);
            var runtime = report.Runtime;
            var resources = report.Resources;
            return new Signals(
                report.Overall.Latency.Mean,
                resources?.CpuMillisecondsPerRequest,
                resources?.DatabaseTime is { } database ? database.TotalMilliseconds / requests : null,
                resources?.DatabaseOperations is { } operations ? (double)operations / requests : null,
                resources?.RunQueueWait is { } wait ? wait.TotalMilliseconds / requests : null,
                runtime is { MeasuredDuration.TotalSeconds: > 0 } r ? r.GcPause.TotalSeconds / r.MeasuredDuration.TotalSeconds : 0,
                runtime is null ? 0 : (double)runtime.AllocatedBytes / requests,
                runtime?.ThreadPoolQueueAverage ?? 0,
                runtime?.ThreadPoolQueueMax ?? 0,
                runtime?.CpuAverage ?? 0,
                runtime?.MachineCpuAverage)
            {
                PoolWaiting = runtime is { ConnectionPoolWaitingAverage: { } average, ConnectionPoolWaitingMax: { } max } ? (average, max) : null,
            };
        }
    }
}
