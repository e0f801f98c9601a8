using System.Globalization;
using System.Text;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>One step of a capacity search: a rate held for a while, and what it did.</summary>
/// <param name="Rate">The arrival rate offered, iterations per second.</param>
/// <param name="Throughput">Requests completed per second.</param>
/// <param name="P95">95th-percentile latency over all routes, milliseconds (from each iteration's intended start).</param>
/// <param name="ErrorRate">Errors over requests.</param>
/// <param name="WithinBudget">Whether every budget held and the throughput kept up with the rate.</param>
/// <param name="Broken">What broke, when something did: the budgets, or the throughput falling short.</param>
/// <param name="Report">The step's whole load report (runtime health, routes).</param>
public sealed record CapacityStep(double Rate, double Throughput, double P95, double ErrorRate, bool WithinBudget, string? Broken, LoadReport Report);

/// <summary>
/// What a capacity search found (<see cref="Capacity.FindAsync"/>): the highest arrival rate within budget, the
/// lowest that broke it, the signals at the knee, and every step (the curve of load against p95, errors and throughput).
/// </summary>
/// <param name="Scenario">The scenario searched.</param>
/// <param name="WithinBudget">The highest rate within budget; <see langword="null"/> when even the start rate broke it.</param>
/// <param name="Breaking">The lowest rate that broke it; <see langword="null"/> when nothing broke up to <see cref="CapacityOptions.MaxRate"/> (or the search ran out of time first).</param>
/// <param name="Bottleneck">What the signals at the breaking step name (a saturated CPU, the thread pool, GC, the database, ...), with the evidence.</param>
/// <param name="Steps">Every step, in the order run.</param>
/// <param name="Elapsed">How long the search took.</param>
public sealed record CapacityReport(string Scenario, double? WithinBudget, double? Breaking, string Bottleneck, IReadOnlyList<CapacityStep> Steps, TimeSpan Elapsed)
{
    /// <summary>Whether <see cref="CapacityOptions.MaxDuration"/> ended the search before it had bracketed the capacity to its precision.</summary>
    public bool TimedOut { get; init; }

    /// <summary>The search as text: what it found, the knee's signals, and the curve.</summary>
    public string ToSummary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Capacity of '{Scenario}': ")
            .Append(WithinBudget is { } within ? $"{Formatting.Rate(within)} within budget" : "not even the start rate is within budget")
            .Append(Breaking is { } breaking ? $", breaking at {Formatting.Rate(breaking)}" : TimedOut ? ", nothing broke before the search ran out of time (CapacityOptions.MaxDuration)" : ", nothing broke up to the highest rate tried (CapacityOptions.MaxRate)")
            .Append(TimedOut && Breaking is not null ? " (not narrowed to its precision: the search ran out of time)" : string.Empty)
            .Append(CultureInfo.InvariantCulture, $" ({Formatting.Plural(Steps.Count, "step", "steps")}, {Formatting.Duration(Elapsed)}).\n")
            .Append("At the knee: ").Append(Bottleneck).Append("\n\n")
            .Append("  offered     completed   p95          errors   cpu (process / machine)  thread-pool queue  verdict\n");
        int[] widths = [10, 10, 11, 7, 23, 17];
        foreach (var (step, cells) in Curve())
        {
            text.Append("  ").Append(string.Concat(cells.Select((cell, i) => cell.PadRight(widths[i]) + "  ")))
                .Append(step.WithinBudget ? "within" : $"BROKEN: {step.Broken}")
                .Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The curve, a row per step by rate: offered, completed, p95, errors, CPU (process / machine) and thread-pool
    /// queue, as the summary and the test's Capacity section both show it (each adds its own verdict column).
    /// </summary>
    internal IEnumerable<(CapacityStep Step, string[] Cells)> Curve()
        => Steps.OrderBy(s => s.Rate).Select(step => (step, new[]
        {
            Formatting.Rate(step.Rate),
            Formatting.Rate(step.Throughput),
            Formatting.Milliseconds(step.P95),
            Formatting.Percent(step.ErrorRate),
            step.Report.Runtime is { } runtime ? $"{Formatting.Percent(runtime.CpuAverage)} / {(runtime.MachineCpuAverage is { } m ? Formatting.Percent(m) : "n/a")}" : "n/a",
            step.Report.Runtime is { } r ? Formatting.Number(r.ThreadPoolQueueAverage, "0.#") : "n/a",
        }));

    /// <inheritdoc />
    public override string ToString() => ToSummary();
}
