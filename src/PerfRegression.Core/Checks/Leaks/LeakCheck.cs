using System.Globalization;
using PerfRegression.Checks;
using PerfRegression.Engine;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Leak detection over a soak: each run samples the heap after a full collection, open handles, threads and the
/// database connections held (every <see cref="SampleInterval"/>), and a resource whose growth is significant and
/// beyond its stated rate fails the test, named with how fast it grew (<see cref="ResourceTrend"/>). Stated with
/// <c>[LeakCheck]</c>, or in code with <c>session.AddCheck(new LeakCheck { ... })</c>.
/// </summary>
public sealed class LeakCheck : IPerfCheck, ILoadRunListener
{
    /// <summary>Heap growth per minute beyond which significant growth is a leak, bytes.</summary>
    /// <value>The default value is 1 MiB a minute: above what the runner keeps of a run (under 100 KB a minute).</value>
    public double HeapBytesPerMinute { get; init; } = 1024 * 1024;

    /// <summary>Open handles gained per minute beyond which significant growth is a leak.</summary>
    /// <value>The default value is 10 a minute.</value>
    public double HandlesPerMinute { get; init; } = 10;

    /// <summary>Threads gained per minute beyond which significant growth is a leak (the thread pool grows under load by itself).</summary>
    /// <value>The default value is 5 a minute.</value>
    public double ThreadsPerMinute { get; init; } = 5;

    /// <summary>Database connections gained per minute beyond which significant growth is a leak.</summary>
    /// <value>The default value is 1 a minute.</value>
    public double DatabaseConnectionsPerMinute { get; init; } = 1;

    /// <summary>How often the runs sample, unless the test's options say (<see cref="LoadOptions.LeakSampleInterval"/>).</summary>
    /// <value>The default value is 5 seconds: a 60 s soak gives 13 samples, 10 of them after its first quarter.</value>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem with the limits; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[] { (nameof(HeapBytesPerMinute), HeapBytesPerMinute), (nameof(HandlesPerMinute), HandlesPerMinute), (nameof(ThreadsPerMinute), ThreadsPerMinute), (nameof(DatabaseConnectionsPerMinute), DatabaseConnectionsPerMinute) })
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                problems.Add($"The leak check's {name} is {Problems.Format(value)}; it must be a rate greater than zero (growth above it, when significant, is a leak).");
            }
        }

        if (SampleInterval < TimeSpan.FromMilliseconds(100) || SampleInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"The leak check's SampleInterval is {Formatting.Duration(SampleInterval)}; it must be between 100 ms and 1 hour.");
        }

        return problems;
    }

    /// <summary>The trend of each resource <paramref name="report"/> sampled, fitted against this check's limits.</summary>
    public IReadOnlyList<ResourceTrend> Trends(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var samples = report.ResourceSamples ?? [];
        return new[]
        {
            ResourceTrend.Fit("heap", samples, s => s.HeapBytes, HeapBytesPerMinute),
            ResourceTrend.Fit("handles", samples, s => s.Handles, HandlesPerMinute),
            ResourceTrend.Fit("threads", samples, s => s.Threads, ThreadsPerMinute),
            ResourceTrend.Fit("database connections", samples, s => s.DatabaseConnections, DatabaseConnectionsPerMinute),
        }.OfType<ResourceTrend>().ToArray();
    }

    /// <inheritdoc />
    public void Prepare(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LeakSampleInterval ??= SampleInterval;
    }

    /// <inheritdoc />
    public ITrialPlanner? RunStarting(Scenario scenario) => null;

    /// <inheritdoc />
    public void RunCompleted(Scenario scenario, IReadOnlyList<LoadReport> trials)
    {
    }

    /// <inheritdoc />
    public ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>(Validate());
        var items = new List<CheckItem>();
        if (CheckContext.NoLoadProblem(context.Reports) is { } noLoad)
        {
            problems.Add(noLoad);
        }

        foreach (var report in context.Reports.Where(r => r.RecordedLoad))
        {
            var samples = report.ResourceSamples ?? [];
            var trends = Trends(report);
            if (trends.All(t => t.Resource != "heap"))
            {
                problems.Add(samples.Count == 0
                    ? $"Leaks cannot be looked for in scenario '{report.Scenario}': the run took no resource samples (they are taken on the system clock only, not under an injected TimeProvider)."
                    : $"Leaks cannot be looked for in scenario '{report.Scenario}': its {Formatting.Duration(report.Duration)} gave {samples.Count(s => s.Seconds >= samples[^1].Seconds / 4)} samples after its first quarter, and a trend needs {ResourceTrend.MinimumSamples}. Run it for at least {Formatting.Duration(SampleInterval * (ResourceTrend.MinimumSamples * 4 / 3.0 + 1))} (a soak: PERF_PROFILE=soak), or sample more often (LoadOptions.LeakSampleInterval).");
                continue;
            }

            items.AddRange(trends.Select(t => Item(report.Scenario, t)));
        }

        var leaks = items.Count(i => i.Severity == CheckSeverity.Fail);
        var table = new TableBlock(
            ["scenario", "resource", "limit", "growth", "samples", "verdict"],
            items.Select(i => (IReadOnlyList<string>)[i.Subject, i.Check, i.Expected, i.Measured, i.Evidence, i.Severity == CheckSeverity.Fail ? "LEAK" : i.Verdict]).ToArray())
        {
            LeftAligned = [0, 1, 3, 5],
        };
        return ValueTask.FromResult(new CheckResult
        {
            Title = "Leaks",
            Severity = leaks > 0 ? CheckSeverity.Fail : CheckSeverity.Pass,
            Headline = leaks > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Formatting.Plural(leaks, "resource", "resources")} leaking") : string.Empty,
            Problems = problems,
            Items = items,
            Body = items.Count > 0 ? [table] : [],
            Notes = items.Count > 0 ? ["Each trend is the least-squares slope of the samples after the run's first quarter, with its 95% interval; a leak is significant growth (the interval above zero) beyond the stated rate."] : [],
            WhatToDo = leaks > 0 ? "Find what keeps growing: take two heap dumps a few minutes apart in a soak (dotnet-gcdump) and compare them, or look for handles, threads or connections opened per request and never disposed." : null,
        });
    }

    private static CheckItem Item(string scenario, ResourceTrend trend)
    {
        string Rate(double value) => trend.Resource == "heap" ? $"{(value >= 0 ? "+" : string.Empty)}{Formatting.Bytes(value)}" : Formatting.Number(value, "+#,0.##;-#,0.##;0");
        var growing = trend.LowPerMinute > 0;
        return new CheckItem
        {
            Severity = trend.IsLeak ? CheckSeverity.Fail : CheckSeverity.Pass,
            Subject = scenario,
            Check = $"{trend.Resource} trend",
            Expected = $"< {(trend.Resource == "heap" ? Formatting.Bytes(trend.Limit) : Formatting.Number(trend.Limit, "#,0.##"))}/min",
            Measured = $"{Rate(trend.PerMinute)}/min (95% {Rate(trend.LowPerMinute)}..{Rate(trend.HighPerMinute)})" + (double.IsFinite(trend.Per1000Requests) ? $", {Rate(trend.Per1000Requests)} per 1,000 requests" : string.Empty),
            Evidence = $"{trend.Samples} samples over {Formatting.Duration(TimeSpan.FromSeconds(trend.Seconds))}",
            Verdict = trend.IsLeak ? "leak" : growing ? "growing, under the rate" : "no significant growth",
        };
    }
}
