using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MealPlanner.Api.Planning;

/// <summary>
/// A week parameter: the Monday that starts a week, as <c>YYYY-MM-DD</c>. A date that is not a Monday is
/// refused rather than moved to its Monday, so that a client bug (an off-by-one, a time zone) shows up as a
/// 400 naming the right Monday instead of silently reading another week. Plans can be read from
/// <see cref="HistoryWeeks"/> weeks back to <see cref="HorizonWeeks"/> weeks ahead of the current week, and
/// (re)generated from the current week to that horizon.
/// </summary>
public static class Week
{
    /// <summary>How many weeks back plans can still be read.</summary>
    public const int HistoryWeeks = 4;

    /// <summary>How many weeks ahead of the current week plans can reach.</summary>
    public const int HorizonWeeks = 26;

    /// <summary>The Monday of the week that contains <paramref name="date"/>.</summary>
    public static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>Today's date (UTC) by <paramref name="time"/>.</summary>
    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
    }

    /// <summary>The latest Monday a plan may start, as of <paramref name="today"/>.</summary>
    public static DateOnly Latest(DateOnly today) => MondayOf(today).AddDays(7 * HorizonWeeks);

    /// <summary>
    /// Parses and checks <paramref name="value"/>, the parameter <paramref name="name"/>; with <paramref name="forPlanning"/>
    /// the week may not lie before the current week. On failure <paramref name="problem"/> says what is wrong and what is expected.
    /// </summary>
    public static bool TryParse(string? value, DateOnly today, out DateOnly week, [NotNullWhen(false)] out string? problem, string name = "week", bool forPlanning = false)
    {
        week = default;
        var current = MondayOf(today);
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = $"{name} is required: the Monday that starts the week, as YYYY-MM-DD, e.g. {Format(current)}.";
            return false;
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            problem = $"{name} must be a date as YYYY-MM-DD, e.g. {Format(current)}; got '{value}'.";
            return false;
        }

        if (date.DayOfWeek != DayOfWeek.Monday)
        {
            problem = $"{name} must be a Monday; {Format(date)} is a {date.DayOfWeek}. That week starts on {Format(MondayOf(date))}.";
            return false;
        }

        // Checked against the window before any date arithmetic on the value, which could overflow near DateOnly.MaxValue.
        var earliest = forPlanning ? current : current.AddDays(-7 * HistoryWeeks);
        var latest = Latest(today);
        if (date < earliest)
        {
            problem = forPlanning
                ? $"{name} {Format(date)} is in the past; plans can be made from the current week, {Format(current)}, on."
                : $"{name} {Format(date)} is more than {HistoryWeeks} weeks in the past; the earliest week is {Format(earliest)}.";
            return false;
        }

        if (date > latest)
        {
            problem = $"{name} {Format(date)} is more than {HorizonWeeks} weeks ahead; the latest week is {Format(latest)}.";
            return false;
        }

        week = date;
        problem = null;
        return true;
    }

    /// <summary><paramref name="date"/> as <c>YYYY-MM-DD</c>.</summary>
    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
