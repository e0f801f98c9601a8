using PerfRegression.Text;

namespace PerfRegression;

/// <summary>How <see cref="Capacity.FindAsync"/> searches: the budgets that define "within capacity", and the steps of arrival rate it tries.</summary>
public sealed class CapacityOptions
{
    /// <summary>
    /// The budgets a step must keep to be within capacity (over all routes, or a route each). Whatever they are, a step
    /// whose completed throughput falls short of the offered rate by more than <see cref="ThroughputShortfall"/> is over
    /// capacity too: the system is not keeping up.
    /// </summary>
    /// <value>The default value is p95 at most 500 ms and at most 1% errors, the seed stories' budget.</value>
    public IReadOnlyList<Budget> Budgets { get; init; } = [Budget.P95(500), Budget.ErrorRate(0.01)];

    /// <summary>The arrival rate of the first step, iterations per second.</summary>
    /// <value>The default value is 10 a second.</value>
    public double StartRate { get; init; } = 10;

    /// <summary>The highest rate tried: a system still within budget there is reported as having at least this capacity.</summary>
    /// <value>The default value is 10,000 a second.</value>
    public double MaxRate { get; init; } = 10_000;

    /// <summary>The factor between steps while searching upward.</summary>
    /// <value>The default value is 1.5.</value>
    public double Growth { get; init; } = 1.5;

    /// <summary>How close the search narrows: it stops when the breaking rate is within this fraction above the highest rate within budget.</summary>
    /// <value>The default value is 0.1 (10%).</value>
    public double Precision { get; init; } = 0.1;

    /// <summary>How long each step holds its rate, measured (after a short warm-up at that rate).</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most iterations in flight at once in a step; a step that needs more starts iterations late, which counts against it.</summary>
    /// <value>The default value is 500.</value>
    public int MaxConcurrency { get; init; } = 500;

    /// <summary>The fraction of the offered rate a step may fall short of in completed throughput and still keep up.</summary>
    /// <value>The default value is 0.1: a step offered 1,000 a second must complete at least 900.</value>
    public double ThroughputShortfall { get; init; } = 0.1;

    /// <summary>The longest the whole search may take; it reports what it found by then.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Budgets is null || Budgets.Count == 0)
        {
            problems.Add("Budgets is empty; capacity is the highest load within a budget, so give at least one, e.g. [Budget.P95(500), Budget.ErrorRate(0.01)].");
        }
        else
        {
            problems.AddRange(Budgets.SelectMany(b => b.Validate()));
            problems.AddRange(Budgets.Where(b => b.IsCost || b.IsMemory).Select(b => $"The {b.MetricName} budget cannot define capacity: give latency, error-rate or throughput budgets (a cost per request does not change with load)."));
        }

        if (!double.IsFinite(StartRate) || StartRate <= 0)
        {
            problems.Add($"StartRate is {Problems.Format(StartRate)}; it must be a rate greater than zero, low enough to be within budget (e.g. 10).");
        }

        if (!double.IsFinite(MaxRate) || MaxRate <= StartRate)
        {
            problems.Add($"MaxRate is {Problems.Format(MaxRate)}; it must be a finite rate above StartRate ({Problems.Format(StartRate)}).");
        }

        if (!double.IsFinite(Growth) || Growth <= 1.05 || Growth > 10)
        {
            problems.Add($"Growth is {Problems.Format(Growth)}; it must be between 1.05 and 10 (each step offers Growth times the last).");
        }

        if (!double.IsFinite(Precision) || Precision < 0.01 || Precision >= Growth - 1)
        {
            problems.Add($"Precision is {Problems.Format(Precision)}; it must be at least 0.01 and below Growth - 1 ({Problems.Format(Growth - 1)}), or the narrowing has nothing to do.");
        }

        if (StepDuration < TimeSpan.FromSeconds(1) || StepDuration > TimeSpan.FromHours(1))
        {
            problems.Add($"StepDuration is {Formatting.Duration(StepDuration)}; it must be between 1 s (a step needs enough requests for its p95) and 1 hour.");
        }

        if (MaxConcurrency < 1)
        {
            problems.Add($"MaxConcurrency is {MaxConcurrency}; at least 1 iteration must be able to run.");
        }

        if (!double.IsFinite(ThroughputShortfall) || ThroughputShortfall is <= 0 or >= 1)
        {
            problems.Add($"ThroughputShortfall is {Problems.Format(ThroughputShortfall)}; it is a fraction between 0 and 1 (0.1: a step must complete 90% of what it was offered).");
        }

        if (MaxDuration < StepDuration || MaxDuration > TimeSpan.FromHours(24))
        {
            problems.Add($"MaxDuration is {Formatting.Duration(MaxDuration)}; it must be at least one step ({Formatting.Duration(StepDuration)}) and at most 24 hours.");
        }

        return problems;
    }
}
