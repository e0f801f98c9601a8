using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// The largest values a load run accepts. Beyond them the run could not work anyway (timers wait at most about
/// 49 days, a virtual user costs a client and a histogram per route), and .NET would throw a raw overflow or
/// out-of-range exception deep inside the run; the limits turn that into a message naming the value.
/// </summary>
internal static class Limits
{
    /// <summary>The longest duration, timeout, pause or warm-up: 24 hours.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromHours(24);

    /// <summary>The most virtual users or open-model slots in one process.</summary>
    public const int MaxUsers = 10_000;

    /// <summary>The highest open-model arrival rate, per second.</summary>
    public const double MaxRate = 1_000_000;

    /// <summary>A problem when <paramref name="value"/> exceeds <see cref="MaxSpan"/>, naming it as <paramref name="what"/>.</summary>
    public static string? TooLong(string what, TimeSpan value)
        => value > MaxSpan
            ? $"{what} is {Formatting.Duration(value)}; it must be at most 24 h (longer waits overflow the timers). Split a longer soak into several runs."
            : null;

    /// <summary>A problem when <paramref name="value"/> exceeds <see cref="MaxUsers"/>.</summary>
    public static string? TooMany(string what, long value)
        => value > MaxUsers
            ? $"{what} is {value}; at most {MaxUsers} are allowed in one process (each needs its own client and histograms). Spread more load over several machines, or use the open model."
            : null;

    /// <summary>Adds <paramref name="problem"/> unless it is <see langword="null"/>.</summary>
    public static void AddIfAny(this List<string> problems, string? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }
}
