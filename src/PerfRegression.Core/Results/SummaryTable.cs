using System.Globalization;
using System.Text;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>Renders the compact, k6-like summary written to the test output after every run.</summary>
internal static class SummaryTable
{
    public static string Render(LoadReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"scenario '{report.Scenario}' · target {report.Target} · {report.LoadProfile}\n");
        var runs = report.Runs > 1 ? $" · {report.Runs} runs merged" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"measured {Formatting.Duration(report.Duration)} · iterations {Formatting.Count(report.Iterations)}");
        if (report.OpenModel)
        {
            text.Append(CultureInfo.InvariantCulture, $" · delayed starts {Formatting.Count(report.DelayedStarts)} · dropped {Formatting.Count(report.DroppedIterations)}");
        }

        text.Append(CultureInfo.InvariantCulture, $" · interrupted {Formatting.Count(report.InterruptedIterations)}{runs}\n");
        if (report.RanWith.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"ran together with {string.Join(", ", report.RanWith.Select(s => $"'{s}'"))}\n");
        }

        if (report.Aborted is { } aborted)
        {
            text.Append(CultureInfo.InvariantCulture, $"ABORTED: {aborted}\n");
        }

        text.Append('\n');

        var table = new TextTable("route", "reqs", "errors", "rps", "p50", "p90", "p95", "p99", "p99.9", "max");
        foreach (var route in report.Routes.Append(report.Overall))
        {
            var l = route.Latency;
            table.Add(
                route.Name,
                Formatting.Count(route.Count),
                Formatting.Percent(route.ErrorRate),
                Formatting.Number(route.Throughput, "#,0.#"),
                Formatting.Milliseconds(l.P50),
                Formatting.Milliseconds(l.P90),
                Formatting.Milliseconds(l.P95),
                Formatting.Milliseconds(l.P99),
                Formatting.Milliseconds(l.P999),
                Formatting.Milliseconds(l.Max));
        }

        table.WriteTo(text);

        if (report.OpenModel)
        {
            var service = report.Overall.ServiceTime;
            if (service is not null && service.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"  service time (without waiting for a slot): p50 {Formatting.Milliseconds(service.P50)} · p95 {Formatting.Milliseconds(service.P95)} · p99 {Formatting.Milliseconds(service.P99)} · max {Formatting.Milliseconds(service.Max)}\n");
            }
        }

        var errors = report.Routes.Where(r => r.Errors > 0).ToArray();
        if (errors.Length > 0)
        {
            text.Append("\nerrors (their latency is not in the table above)\n");
            foreach (var route in errors)
            {
                foreach (var (kind, count) in route.ErrorsByKind)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  {route.Name}: {kind} × {Formatting.Count(count)}\n");
                }

                if (route.FailedLatency is { Count: > 0 } failed)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  {route.Name}: failed requests took p50 {Formatting.Milliseconds(failed.P50)} · p95 {Formatting.Milliseconds(failed.P95)} · max {Formatting.Milliseconds(failed.Max)}\n");
                }
            }
        }

        var checks = report.Routes.SelectMany(r => r.Checks.Select(c => (Route: r.Name, Check: c))).ToArray();
        if (checks.Length > 0)
        {
            text.Append("\nchecks\n");
            foreach (var (route, check) in checks)
            {
                var mark = check.Failures == 0 ? "ok  " : "FAIL";
                text.Append(CultureInfo.InvariantCulture, $"  {mark} {route}: {check.Name} {Formatting.Percent(check.PassRate)} ({Formatting.Count(check.Passes)} / {Formatting.Count(check.Passes + check.Failures)})\n");
            }
        }

        if (report.Metrics.Count > 0)
        {
            text.Append("\nmetrics\n");
            foreach (var metric in report.Metrics)
            {
                var value = metric.Kind switch
                {
                    CustomMetricKind.Trend => $"p50 {Formatting.Milliseconds(metric.Trend!.P50)} · p95 {Formatting.Milliseconds(metric.Trend.P95)} · max {Formatting.Milliseconds(metric.Trend.Max)} ({Formatting.Count(metric.Trend.Count)})",
                    CustomMetricKind.Rate => $"{Formatting.Percent(metric.Ratio)} ({Formatting.Count(metric.Trues)} / {Formatting.Count(metric.Total)})",
                    _ => $"{Formatting.Number(metric.Sum, "#,0.##")} ({Formatting.Rate(metric.PerSecond)})",
                };
                text.Append(CultureInfo.InvariantCulture, $"  {metric.Name} ({metric.Kind.ToString().ToLowerInvariant()}): {value}\n");
            }
        }

        if (report.Runtime is { } rt)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nruntime: cpu {Formatting.Percent(rt.CpuAverage)} avg, {Formatting.Percent(rt.CpuMax)} max of {rt.CpuCores} cores · gc {rt.Gen0Collections}/{rt.Gen1Collections}/{rt.Gen2Collections} (pause {Formatting.Duration(rt.GcPause)}) · allocated {Formatting.Number(rt.AllocatedBytes / 1048576.0, "#,0.#")} MB · thread-pool queue max {rt.ThreadPoolQueueMax}, threads {rt.ThreadPoolThreadsAtStart}→{rt.ThreadPoolThreadsMax}\n");
        }

        if (report.Resources is { } cost)
        {
            text.Append(CultureInfo.InvariantCulture, $"per request: cpu {Formatting.Number(cost.CpuMillisecondsPerRequest, "#,0.###")} ms")
                .Append(cost.ServerCpuMillisecondsPerRequest is { } server ? $" (+ {Formatting.Number(server, "#,0.###")} ms in server processes)" : string.Empty)
                .Append(CultureInfo.InvariantCulture, $" · allocated {Formatting.Bytes(cost.AllocatedBytesPerRequest)} · gc per 1,000 {Formatting.Number(cost.Gen0Per1000Requests, "#,0.##")}/{Formatting.Number(cost.Gen1Per1000Requests, "#,0.##")}/{Formatting.Number(cost.Gen2Per1000Requests, "#,0.##")}")
                .Append(cost.DatabaseOperationsPerRequest is { } operations ? $" · database {Formatting.Number(operations, "#,0.##")} operations, {Formatting.Number(cost.DatabaseMillisecondsPerRequest ?? 0, "#,0.###")} ms" : string.Empty)
                .Append(cost.ResponseBytesPerRequest is { } response ? $" · response {Formatting.Bytes(response)}" : string.Empty)
                .Append('\n');
        }

        if (report.Memory is { } memory)
        {
            text.Append(CultureInfo.InvariantCulture, $"memory: heap after full collections {Formatting.Bytes(memory.HeapBeforeBytes)} → {Formatting.Bytes(memory.HeapAfterBytes)} ({(memory.GrowthBytes >= 0 ? "+" : string.Empty)}{Formatting.Bytes(memory.GrowthBytes)}, {Formatting.Bytes(memory.GrowthPer1000Requests)} per 1,000 requests)")
                .Append(memory.WorkingSetPeakBytes is { } workingSet ? $" · working set peak {Formatting.Bytes(workingSet)}" : string.Empty)
                .Append('\n');
        }

        if (report.Recovery is { } recovery)
        {
            text.Append(recovery.ToString()).Append('\n');
        }

        if (report.Warnings.Count > 0)
        {
            text.Append("\nwarnings\n");
            foreach (var warning in report.Warnings)
            {
                text.Append("  ! ").Append(warning).Append('\n');
            }
        }

        return text.ToString();
    }
}
