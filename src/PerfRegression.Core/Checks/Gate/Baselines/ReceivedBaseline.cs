using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// A received baseline (<c>X.received.json</c> beside <c>X.json</c>): a run the gate proposes as the baseline, written
/// when no baseline existed, when a slowdown was measured, or when a run was not allowed to record one. Accepting it
/// replaces the baseline; <see cref="Changes"/> says what that changes and by how much, for review first.
/// </summary>
public sealed class ReceivedBaseline
{
    private ReceivedBaseline(string path, string baselinePath, string test, IReadOnlyList<string> changes, bool replaces)
    {
        Path = path;
        BaselinePath = baselinePath;
        Test = test;
        Changes = changes;
        ReplacesBaseline = replaces;
    }

    /// <summary>The received file.</summary>
    public string Path { get; }

    /// <summary>The baseline it would become.</summary>
    public string BaselinePath { get; }

    /// <summary>The test it belongs to, as the file names it.</summary>
    public string Test { get; }

    /// <summary>Whether a baseline exists that accepting replaces; otherwise the received file is the test's first baseline.</summary>
    public bool ReplacesBaseline { get; }

    /// <summary>
    /// What accepting changes, one line each: every route's p95 and every cost per request (medians over the trials)
    /// before and after, with the relative change; scenarios and routes that appear or disappear.
    /// </summary>
    public IReadOnlyList<string> Changes { get; }

    /// <summary>Every received baseline under <paramref name="baselineDirectory"/> (all profiles), ordered by path.</summary>
    /// <exception cref="PerfResultsException">The folder is missing, or a received or baseline file cannot be read (the message names it and why).</exception>
    public static IReadOnlyList<ReceivedBaseline> Find(string baselineDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baselineDirectory);
        if (!Directory.Exists(baselineDirectory))
        {
            throw new PerfResultsException($"No baseline folder at {System.IO.Path.GetFullPath(baselineDirectory)}, so there is nothing to accept. Give the folder that holds the baselines (baselines/ at the repository root, or PERF_BASELINE_DIR).");
        }

        return Directory.EnumerateFiles(baselineDirectory, "*.received.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(Read)
            .ToArray();
    }

    /// <summary>Makes the received file the baseline, replacing any, in one atomic rename.</summary>
    /// <exception cref="PerfResultsException">The file could not be moved (the message says why).</exception>
    public void Accept()
    {
        try
        {
            File.Move(Path, BaselinePath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PerfResultsException($"{Path} could not become the baseline {BaselinePath}: {ex.Message}. Make the folder writable and try again; the received file is unchanged.", ex);
        }
    }

    private static ReceivedBaseline Read(string path)
    {
        var baselinePath = path[..^".received.json".Length] + ".json";
        try
        {
            if (string.Equals(System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)), MicroBenchmarkBaselineFile.Folder, StringComparison.Ordinal))
            {
                var proposed = MicroBenchmarkBaselineFile.Read(path, test: null)!;
                var recorded = MicroBenchmarkBaselineFile.Read(baselinePath, proposed.Test);
                return new ReceivedBaseline(path, baselinePath, proposed.Test, Describe(recorded, proposed), recorded is not null);
            }

            if (CapacityBaselineFile.IsCapacityPath(path))
            {
                var proposed = CapacityBaselineFile.Read(path, test: null)!;
                var recorded = CapacityBaselineFile.Read(baselinePath, proposed.Test);
                return new ReceivedBaseline(path, baselinePath, proposed.Test, Describe(recorded, proposed), recorded is not null);
            }

            var received = BaselineStore.ReadPath(path, test: null)!;
            var current = BaselineStore.ReadPath(baselinePath, received.Test);
            return new ReceivedBaseline(path, baselinePath, received.Test, Describe(current, received), current is not null);
        }
        catch (BaselineException ex)
        {
            throw new PerfResultsException(ex.Message, ex);
        }
    }

    private static string[] Describe(BaselineFile? current, BaselineFile received)
    {
        var lines = new List<string>();
        foreach (var scenario in received.Scenarios)
        {
            var before = current?.Scenario(scenario.Name);
            if (before is null)
            {
                lines.Add($"scenario '{scenario.Name}': new ({Formatting.Plural(scenario.Trials, "trial", "trials")}, {string.Join(", ", scenario.Routes.Select(r => $"{r.Name} p95 {Formatting.Milliseconds(P95(r))}"))})");
                continue;
            }

            foreach (var route in scenario.Routes)
            {
                lines.Add(before.Route(route.Name) is { } was
                    ? $"{route.Name}: p95 {Formatting.Milliseconds(P95(was))} → {Formatting.Milliseconds(P95(route))} ({Change(P95(was), P95(route))})"
                    : $"{route.Name}: new route, p95 {Formatting.Milliseconds(P95(route))}");
            }

            foreach (var gone in before.Routes.Where(r => scenario.Route(r.Name) is null))
            {
                lines.Add($"{gone.Name}: no longer measured (its baseline goes)");
            }

            foreach (var (name, values) in scenario.Costs)
            {
                if (before.Costs.TryGetValue(name, out var was) && was.Count > 0 && values.Count > 0)
                {
                    var cost = GateStatistic.Of(name);
                    var (from, to) = (RegressionComparer.Median(was), RegressionComparer.Median(values));
                    lines.Add($"scenario '{scenario.Name}' {cost.Label}: {cost.Format(from)} → {cost.Format(to)} ({Change(from, to)})");
                }
            }
        }

        foreach (var gone in current?.Scenarios.Where(s => received.Scenario(s.Name) is null) ?? [])
        {
            lines.Add($"scenario '{gone.Name}': not in the received file (its baseline goes)");
        }

        return [.. lines];
    }

    private static string[] Describe(MicroBenchmarkBaselineFile? current, MicroBenchmarkBaselineFile received)
        => received.Benchmarks.Select(benchmark => current?.Benchmark(benchmark.Name) is { } before
                ? $"{benchmark.Name}: {Formatting.Nanoseconds(RegressionComparer.Median(before.IterationNanoseconds))} → {Formatting.Nanoseconds(RegressionComparer.Median(benchmark.IterationNanoseconds))} per operation ({Change(RegressionComparer.Median(before.IterationNanoseconds), RegressionComparer.Median(benchmark.IterationNanoseconds))})"
                    + (before.AllocatedBytesPerOperation is { } was && benchmark.AllocatedBytesPerOperation is { } now && was != now ? $", allocated {Formatting.Bytes(was)} → {Formatting.Bytes(now)}" : string.Empty)
                : $"{benchmark.Name}: new, {Formatting.Nanoseconds(RegressionComparer.Median(benchmark.IterationNanoseconds))} per operation")
            .Concat(current?.Benchmarks.Where(b => received.Benchmark(b.Name) is null).Select(b => $"{b.Name}: not in the received file (its baseline goes)") ?? [])
            .ToArray();

    private static string[] Describe(CapacityBaselineFile? current, CapacityBaselineFile received)
        => received.Searches.Select(search => current?.Search(search.Scenario) is { } before
                ? $"capacity of '{search.Scenario}': {Formatting.Rate(before.WithinBudget)} → {Formatting.Rate(search.WithinBudget)} ({Change(before.WithinBudget, search.WithinBudget)})"
                : $"capacity of '{search.Scenario}': new, {Formatting.Rate(search.WithinBudget)} within budget")
            .Concat(current?.Searches.Where(s => received.Search(s.Scenario) is null).Select(s => $"capacity of '{s.Scenario}': not in the received file (its baseline goes)") ?? [])
            .ToArray();

    /// <summary>The route's p95 as the gate compares it: the median of its trials' p95, else the merged histogram's.</summary>
    private static double P95(RouteBaseline route)
        => route.TrialStatistics.TryGetValue("p95", out var trials) && trials.Count > 0 ? RegressionComparer.Median(trials) : route.P95;

    private static string Change(double from, double to)
        => from > 0 ? Formatting.SignedPercent((to / from) - 1) : to == from ? "unchanged" : "was 0";
}
