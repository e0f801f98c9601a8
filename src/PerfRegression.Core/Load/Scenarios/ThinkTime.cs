using PerfRegression.Text;

namespace PerfRegression;

/// <summary>A pause a virtual user takes after a step, fixed or drawn uniformly from a range with the user's seeded random.</summary>
public sealed class ThinkTime
{
    private ThinkTime(TimeSpan min, TimeSpan max)
    {
        Min = min;
        Max = max;
    }

    /// <summary>No pause. The default for every step.</summary>
    public static ThinkTime None { get; } = new(TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The shortest pause.</summary>
    public TimeSpan Min { get; }

    /// <summary>The longest pause.</summary>
    public TimeSpan Max { get; }

    /// <summary>Always pause for <paramref name="duration"/>.</summary>
    public static ThinkTime Fixed(TimeSpan duration) => new(duration, duration);

    /// <summary>Pause for a duration drawn uniformly between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static ThinkTime Between(TimeSpan min, TimeSpan max) => new(min, max);

    internal bool IsNone => Max <= TimeSpan.Zero;

    internal TimeSpan Next(Random random)
        => Min == Max ? Min : Min + TimeSpan.FromTicks((long)(random.NextDouble() * (Max - Min).Ticks));

    internal IEnumerable<string> Validate(string owner)
    {
        if (Min < TimeSpan.Zero)
        {
            yield return $"{owner} has a think time of {Formatting.Duration(Min)}; it must be zero or more.";
        }

        if (Limits.TooLong($"{owner}'s think time", Max) is { } tooLong)
        {
            yield return tooLong;
        }

        if (Max < Min)
        {
            yield return $"{owner} has a think-time range from {Formatting.Duration(Min)} to {Formatting.Duration(Max)}; the maximum must not be below the minimum. Swap them.";
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsNone ? "none" : Min == Max ? Formatting.Duration(Min) : $"{Formatting.Duration(Min)}..{Formatting.Duration(Max)}";
}
