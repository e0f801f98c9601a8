using PerfRegression.Text;

namespace PerfRegression;

/// <summary>An open model: iterations start on a schedule set by the arrival rate, not by the system's speed.</summary>
internal sealed class OpenLoadProfile : LoadProfile
{
    private readonly bool _constant;

    public OpenLoadProfile(double startPerSecond, RateStage[] stages, int maxConcurrency, bool constant)
    {
        StartPerSecond = startPerSecond;
        StageList = stages;
        MaxConcurrency = maxConcurrency;
        _constant = constant;
        Schedule = new ArrivalSchedule(startPerSecond, stages);
    }

    public double StartPerSecond { get; }

    public IReadOnlyList<RateStage> StageList { get; }

    internal ArrivalSchedule Schedule { get; }

    /// <summary>The highest arrival rate of the profile: the warm-up's rate.</summary>
    internal double PeakPerSecond => Math.Max(StartPerSecond, StageList.Count == 0 ? 0 : StageList.Max(s => s.TargetPerSecond));

    public override int MaxConcurrency { get; }

    public override TimeSpan? Duration
    {
        get
        {
            // Saturating: an absurd stage is reported by validation, not by an OverflowException from a description.
            var ticks = StageList.Sum(s => (double)s.Duration.Ticks);
            return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : ticks <= TimeSpan.MinValue.Ticks ? TimeSpan.MinValue : TimeSpan.FromTicks((long)ticks);
        }
    }

    public override bool IsOpenModel => true;

    public override string Description => _constant
        ? $"open: {Formatting.Number(StartPerSecond)}/s for {Formatting.Duration(Duration ?? TimeSpan.Zero)}, max {MaxConcurrency} in flight"
        : $"open: from {Formatting.Number(StartPerSecond)}/s, stages "
          + string.Join(", ", StageList.Select(s => $"{Formatting.Number(s.TargetPerSecond)}/s over {Formatting.Duration(s.Duration)}"))
          + $", max {MaxConcurrency} in flight";

    internal override IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!double.IsFinite(StartPerSecond) || StartPerSecond < 0 || (_constant && StartPerSecond == 0))
        {
            problems.Add(_constant
                ? $"The arrival rate is {Problems.Format(StartPerSecond)}/s; it must be a finite number greater than zero, e.g. 50 iterations per second."
                : $"The start rate is {Problems.Format(StartPerSecond)}/s; it must be a finite number, zero or more.");
        }

        if (MaxConcurrency < 1)
        {
            problems.Add($"Max concurrency is {MaxConcurrency}; at least 1 iteration must be allowed in flight. Set it above the rate × expected latency, e.g. 64.");
        }

        problems.AddIfAny(Limits.TooMany("Max concurrency", MaxConcurrency));
        var highest = StageList.Select(s => s.TargetPerSecond).Append(StartPerSecond).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        if (highest > Limits.MaxRate)
        {
            problems.Add($"The arrival rate reaches {Problems.Format(highest)}/s; at most {Problems.Format(Limits.MaxRate)}/s can be started by one process. Lower the rate, or spread the load over several machines.");
        }

        if (StageList.Count == 0)
        {
            problems.Add("The rate stage list is empty. Give at least one stage, e.g. new RateStage(TimeSpan.FromSeconds(30), 100).");
        }

        for (var i = 0; i < StageList.Count; i++)
        {
            var stage = StageList[i];
            var label = _constant ? "The duration" : $"Rate stage {i + 1}";
            if (stage.Duration <= TimeSpan.Zero)
            {
                problems.Add($"{label} is {Formatting.Duration(stage.Duration)}; it must be greater than zero.");
            }

            problems.AddIfAny(Limits.TooLong(_constant ? "The duration" : $"Rate stage {i + 1}'s duration", stage.Duration));

            if (!_constant && (!double.IsFinite(stage.TargetPerSecond) || stage.TargetPerSecond < 0))
            {
                problems.Add($"Rate stage {i + 1} targets {Problems.Format(stage.TargetPerSecond)}/s; the target must be a finite number, zero or more.");
            }
        }

        if (!_constant && StageList.All(s => s.Duration <= Limits.MaxSpan))
        {
            problems.AddIfAny(Limits.TooLong("The rate stages' total duration", Duration ?? TimeSpan.Zero));
        }

        if (!_constant && StageList.Count > 0 && StartPerSecond == 0 && StageList.All(s => s.TargetPerSecond == 0))
        {
            problems.Add("Every rate stage targets 0/s and the start rate is 0/s, so no iteration would start. Give a stage a positive target.");
        }

        return problems;
    }
}
