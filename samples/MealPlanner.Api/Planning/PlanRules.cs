namespace MealPlanner.Api.Planning;

/// <summary>
/// The rules every generated plan follows, in one place so that the planner, the feasibility check and its
/// messages agree: three meals a day, each a favourite of that meal type that suits the user's diet; no recipe
/// twice within <see cref="RepeatWindowDays"/> days (across week boundaries too); no main ingredient twice on
/// one day; Monday to Friday only recipes ready in at most <see cref="WeekdayMaxPrepMinutes"/> minutes.
/// </summary>
public static class PlanRules
{
    /// <summary>The longest prep time allowed on a weekday (Monday to Friday).</summary>
    public const int WeekdayMaxPrepMinutes = 30;

    /// <summary>A recipe planned on one day may come back at the earliest this many days later.</summary>
    public const int RepeatWindowDays = 7;

    /// <summary>How many weeks <c>POST /plan/generate-multi-week</c> plans when the body does not say.</summary>
    public const int DefaultWeeks = 4;

    /// <summary>The most weeks one generation may plan.</summary>
    public const int MaxWeeks = 8;

    /// <summary>Whether <paramref name="date"/> falls on Monday to Friday, where the prep-time limit applies.</summary>
    public static bool IsWeekday(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The most weekdays any <see cref="RepeatWindowDays"/> consecutive days hold: how many quick recipes of a meal type a plan needs at least.</summary>
    public static int WeekdaysPerWindow { get; } = Enumerable.Range(0, 7)
        .Max(start => Enumerable.Range(start, RepeatWindowDays).Count(d => IsWeekday(DateOnly.MinValue.AddDays(d))));
}
