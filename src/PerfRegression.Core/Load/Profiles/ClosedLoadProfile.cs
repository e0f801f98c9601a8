using PerfRegression.Text;

namespace PerfRegression;

/// <summary>A closed model: virtual users loop the scenario; a new iteration starts when the previous one ends.</summary>
internal sealed class ClosedLoadProfile : LoadProfile
{
    private readonly int? _users;
    private readonly TimeSpan? _duration;

    public ClosedLoadProfile(int? users, TimeSpan? duration, TimeSpan rampUp, int? iterationsPerUser, Stage[]? stages, long? sharedIterations = null)
    {
        IterationsShared = sharedIterations;
        _users = users;
        _duration = duration;
        RampUp = rampUp;
        IterationsPerUser = iterationsPerUser;
        StageList = stages;
        Schedule = new StageSchedule(BuildStages(), InitialUsers);
    }

    public TimeSpan RampUp { get; }

    public int? IterationsPerUser { get; }

    /// <summary>Iterations all users share (k6's shared-iterations executor): each user takes the next until they are used up.</summary>
    public long? IterationsShared { get; }

    public IReadOnlyList<Stage>? StageList { get; }

    internal StageSchedule Schedule { get; }

    public override int MaxConcurrency => StageList is { } stages ? (stages.Count == 0 ? 0 : stages.Max(s => s.Target)) : _users ?? 0;

    public override TimeSpan? Duration => StageList is { } stages ? SumDurations(stages) : _duration;

    public override bool IsOpenModel => false;

    public override string Description
    {
        get
        {
            if (StageList is { } stages)
            {
                return "closed: stages " + string.Join(", ", stages.Select(s => $"{s.Target} users over {Formatting.Duration(s.Duration)}"));
            }

            if (IterationsPerUser is { } iterations)
            {
                return $"closed: {Users(_users ?? 0)} × {iterations} iterations";
            }

            if (IterationsShared is { } shared)
            {
                return $"closed: {Users(_users ?? 0)} sharing {Formatting.Count(shared)} iterations";
            }

            var ramp = RampUp > TimeSpan.Zero ? $" (ramp-up {Formatting.Duration(RampUp)})" : string.Empty;
            return $"closed: {Users(_users ?? 0)} for {Formatting.Duration(_duration ?? TimeSpan.Zero)}{ramp}";
        }
    }

    internal override IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (StageList is { } stages)
        {
            if (stages.Count == 0)
            {
                problems.Add("The stage list is empty. Give at least one stage, e.g. new Stage(TimeSpan.FromSeconds(30), 100).");
            }

            for (var i = 0; i < stages.Count; i++)
            {
                if (stages[i].Duration <= TimeSpan.Zero)
                {
                    problems.Add($"Stage {i + 1} lasts {Formatting.Duration(stages[i].Duration)}; a stage must last longer than zero. Give it a positive duration or remove it.");
                }

                if (stages[i].Target < 0)
                {
                    problems.Add($"Stage {i + 1} targets {stages[i].Target} users; the target must be zero or more.");
                }

                problems.AddIfAny(Limits.TooLong($"Stage {i + 1}'s duration", stages[i].Duration));
                problems.AddIfAny(Limits.TooMany($"Stage {i + 1}'s target", stages[i].Target));
            }

            if (stages.All(s => s.Duration <= Limits.MaxSpan))
            {
                problems.AddIfAny(Limits.TooLong("The stages' total duration", SumDurations(stages)));
            }

            if (stages.Count > 0 && stages.All(s => s.Target == 0))
            {
                problems.Add("Every stage targets 0 users, so no load would run. Give at least one stage a positive target.");
            }

            return problems;
        }

        if (_users is not { } users || users < 1)
        {
            problems.Add($"Users is {_users}; at least 1 virtual user is needed. Pass the number of concurrent users, e.g. LoadProfile.Users(10, TimeSpan.FromSeconds(10)).");
        }

        problems.AddIfAny(Limits.TooMany("Users", _users ?? 0));

        if (IterationsPerUser is { } iterations)
        {
            if (iterations < 1)
            {
                problems.Add($"Iterations per user is {iterations}; each user must run at least 1 iteration.");
            }

            return problems;
        }

        if (IterationsShared is { } shared)
        {
            if (shared < 1)
            {
                problems.Add($"The shared iterations are {shared}; the users must share at least 1 iteration, e.g. LoadProfile.SharedIterations(10, 1000).");
            }
            else if (shared < (_users ?? 0))
            {
                problems.Add($"{Users(_users ?? 0)} share {shared} iterations, so {(_users ?? 0) - shared} of them would never run one. Use at most {shared} users, or more iterations.");
            }

            return problems;
        }

        if (_duration is not { } duration || duration <= TimeSpan.Zero)
        {
            problems.Add($"Duration is {Formatting.Duration(_duration ?? TimeSpan.Zero)}; it must be greater than zero. Pass how long to measure, e.g. TimeSpan.FromSeconds(10).");
        }
        else if (RampUp > duration)
        {
            problems.Add($"Ramp-up is {Formatting.Duration(RampUp)}, longer than the run's duration of {Formatting.Duration(duration)}. The ramp-up counts inside the duration: shorten it or lengthen the run.");
        }

        if (RampUp < TimeSpan.Zero)
        {
            problems.Add($"Ramp-up is {Formatting.Duration(RampUp)}; it must be zero or more.");
        }

        problems.AddIfAny(Limits.TooLong("Duration", _duration ?? TimeSpan.Zero));
        problems.AddIfAny(Limits.TooLong("Ramp-up", RampUp));

        return problems;
    }

    private IReadOnlyList<Stage> BuildStages()
    {
        if (StageList is { } stages)
        {
            return stages;
        }

        var users = Math.Max(_users ?? 0, 0);
        var duration = _duration ?? TimeSpan.Zero;
        if (RampUp > TimeSpan.Zero && RampUp <= duration)
        {
            return RampUp == duration
                ? [new Stage(RampUp, users)]
                : [new Stage(RampUp, users), new Stage(duration - RampUp, users)];
        }

        // Constant users: a "stage" from users to users, expressed as an immediate start.
        return [];
    }

    internal int InitialUsers => StageList is null && RampUp == TimeSpan.Zero ? Math.Max(_users ?? 0, 0) : 0;

    internal static string Users(int count) => count == 1 ? "1 user" : $"{count} users";

    private static TimeSpan SumDurations(IReadOnlyList<Stage> stages)
    {
        // Saturating: an absurd stage is reported by validation, not by an OverflowException from a description.
        var total = 0.0;
        foreach (var stage in stages)
        {
            total += stage.Duration.Ticks;
        }

        return total >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : total <= TimeSpan.MinValue.Ticks ? TimeSpan.MinValue : TimeSpan.FromTicks((long)total);
    }
}
