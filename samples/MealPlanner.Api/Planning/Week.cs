using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MealPlanner.Api.Planning;

/// <summary>
/// The <c>week</c> parameter: the Monday that starts a week, as <c>YYYY-MM-DD</c>, at most
/// <see cref="HorizonWeeks"/> weeks before or after the current week.
/// </summary>
public static class Week
{
    /// <summary>How many weeks back (history) and ahead (planning horizon) a week may be.</summary>
    public const int HorizonWeeks = 52;

    /// <summary>The Monday of the week that contains <paramref name="date"/>.</summary>
    public static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>Today's date (UTC) by <paramref name="time"/>.</summary>
    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Parses and checks <paramref name="value"/>; on failure <paramref name="problem"/> says what is wrong and what is expected.</summary>
    public static bool TryParse(string? value, DateOnly today, out DateOnly week, [NotNullWhen(false)] out string? problem)
    {
        week = default;
        var current = MondayOf(today);
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = $"week is required: the Monday that starts the week, as YYYY-MM-DD, e.g. {Format(current)}.";
            return false;
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            problem = $"week must be a date as YYYY-MM-DD, e.g. {Format(current)}; got '{value}'.";
            return false;
        }

        if (date.DayOfWeek != DayOfWeek.Monday)
        {
            problem = $"week must be a Monday; {Format(date)} is a {date.DayOfWeek}. That week starts on {Format(MondayOf(date))}.";
            return false;
        }

        // Checked against the horizon before any date arithmetic on the value, which could overflow near DateOnly.MaxValue.
        var earliest = current.AddDays(-7 * HorizonWeeks);
        var latest = current.AddDays(7 * HorizonWeeks);
        if (date < earliest)
        {
            problem = $"week {Format(date)} is more than {HorizonWeeks} weeks in the past; the earliest week is {Format(earliest)}.";
            return false;
        }

        if (date > latest)
        {
            problem = $"week {Format(date)} is more than {HorizonWeeks} weeks ahead; the latest week is {Format(latest)}.";
            return false;
        }

        week = date;
        problem = null;
        return true;
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
