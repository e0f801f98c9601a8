namespace PerfRegression;

/// <summary>
/// Pure arithmetic over closed-model stages: how many users are active at an offset, and when a given
/// user becomes active next. User k (0-based) is active while the target level exceeds k.
/// </summary>
internal sealed class StageSchedule
{
    private readonly Stage[] _stages;

    public StageSchedule(IReadOnlyList<Stage> stages, int initialUsers = 0)
    {
        _stages = stages.ToArray();
        InitialUsers = initialUsers;
    }

    public int InitialUsers { get; }

    public bool IsConstant => _stages.Length == 0;

    /// <summary>The (fractional) number of users the profile asks for at <paramref name="offset"/>.</summary>
    public double LevelAt(TimeSpan offset)
    {
        if (IsConstant)
        {
            return InitialUsers;
        }

        double from = InitialUsers;
        var start = TimeSpan.Zero;
        foreach (var stage in _stages)
        {
            var end = start + stage.Duration;
            if (offset < end)
            {
                var fraction = (offset - start) / stage.Duration;
                return from + ((stage.Target - from) * Math.Clamp(fraction, 0, 1));
            }

            from = stage.Target;
            start = end;
        }

        return from;
    }

    /// <summary>Whether user <paramref name="user"/> (0-based) is active at <paramref name="offset"/>.</summary>
    public bool IsActive(int user, TimeSpan offset) => Math.Floor(LevelAt(offset) + 1e-9) > user;

    /// <summary>
    /// The earliest offset at or after <paramref name="offset"/> and before <paramref name="end"/> at which
    /// <paramref name="user"/> is active, or <see langword="null"/> when it never is again.
    /// </summary>
    public TimeSpan? NextActive(int user, TimeSpan offset, TimeSpan end)
    {
        if (IsActive(user, offset))
        {
            return offset;
        }

        if (IsConstant)
        {
            return null;
        }

        // Walk the stages; in a rising stage solve the linear ramp for the moment the level reaches user+1.
        double from = InitialUsers;
        var start = TimeSpan.Zero;
        var needed = user + 1;
        foreach (var stage in _stages)
        {
            var stageEnd = start + stage.Duration;
            if (stageEnd > offset && stage.Target >= needed && stage.Target > from)
            {
                var fraction = from >= needed ? 0 : (needed - from) / (stage.Target - from);
                var at = start + (stage.Duration * fraction);
                if (at < offset)
                {
                    at = offset;
                }

                return at < end ? at : null;
            }

            from = stage.Target;
            start = stageEnd;
        }

        return null;
    }
}
