using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// What the gate can compare: a latency statistic of one route (p50…p99, milliseconds, moved by everything the
/// machine does) or a cost per request of one scenario (CPU time, allocated bytes, database operations, which a
/// busy machine barely moves). Each knows how to read itself from a trial and how to show its values.
/// </summary>
internal sealed record GateStatistic(string Name, bool IsLatency, string Label, Func<double, string> Format)
{
    public static readonly GateStatistic Cpu = new("cpu", false, "CPU per request", v => Formatting.Number(v, "#,0.###") + " ms");

    public static readonly GateStatistic Alloc = new("alloc", false, "bytes allocated per request", Formatting.Bytes);

    public static readonly GateStatistic Database = new("db", false, "database operations per request", v => Formatting.Number(v, "#,0.###"));

    public static readonly GateStatistic ServerCpu = new("server-cpu", false, "server processes' CPU per request", v => Formatting.Number(v, "#,0.###") + " ms");

    public static readonly GateStatistic ResponseBytes = new("bytes", false, "response bytes per request", Formatting.Bytes);

    /// <summary>
    /// How long this process's threads waited for a core, per request: kept in the baseline as evidence, never compared
    /// as a cost. A latency slowdown that the growth of this wait can explain is the machine's doing, not the code's.
    /// </summary>
    public static readonly GateStatistic Wait = new("wait", false, "wait for a core per request", v => Formatting.Number(v, "#,0.###") + " ms");

    /// <summary>A micro-benchmark's time per operation, nanoseconds: each measured iteration is a trial. No floor: a micro-benchmark's changes are all small.</summary>
    public static readonly GateStatistic OperationTime = new("time/op", false, "time per operation", Formatting.Nanoseconds);

    /// <summary>Whether a growth of this statistic reads as "slower" (latency, a micro-benchmark's time) rather than "higher" (a cost).</summary>
    public bool IsTime => IsLatency || Name == OperationTime.Name;

    /// <summary>Whether this is CPU time, held to <see cref="GatePolicy.MinimumCpuIncreaseMilliseconds"/>.</summary>
    public bool IsCpu => Name is "cpu" or "server-cpu";

    /// <summary>The costs the gate knows, in the order verdicts list them, and the evidence it keeps beside them.</summary>
    public static readonly IReadOnlyList<GateStatistic> Costs = [Cpu, Alloc, Database, ServerCpu, ResponseBytes, Wait];

    /// <summary>The descriptor of <paramref name="name"/>: a known cost, else a latency statistic.</summary>
    public static GateStatistic Of(string name)
        => Costs.Append(OperationTime).FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal)) ?? new(name, true, name + " latency", Formatting.Milliseconds);

    /// <summary>This cost in one trial; <see langword="null"/> when the trial did not measure it.</summary>
    public double? Read(LoadReport trial)
    {
        if (trial.Resources is not { } cost)
        {
            return null;
        }

        return Name switch
        {
            "cpu" => cost.CpuMillisecondsPerRequest,
            "alloc" => cost.AllocatedBytesPerRequest,
            "db" => cost.DatabaseOperationsPerRequest,
            "server-cpu" => cost.ServerCpuMillisecondsPerRequest,
            "bytes" => cost.ResponseBytesPerRequest,
            "wait" => cost.RunQueueMillisecondsPerRequest,
            _ => null,
        };
    }

    /// <summary>Rounded as the baseline stores it: enough digits to show a 1% change of any realistic value.</summary>
    public double Round(double value) => Name switch
    {
        "alloc" or "bytes" => Math.Round(value, 1),
        _ => Math.Round(value, 5),
    };
}
