using MealPlanner.Api.Recipes;

namespace MealPlanner.Api.Planning;

/// <summary>A meal already planned outside the weeks being planned, which the repeat rule must respect.</summary>
/// <param name="Date">The day.</param>
/// <param name="MealType">The meal.</param>
/// <param name="RecipeId">The recipe planned.</param>
public readonly record struct FixedMeal(DateOnly Date, MealType MealType, int RecipeId);

/// <summary>The weeks to plan and their generation numbers.</summary>
/// <param name="Week">The Monday.</param>
/// <param name="Generation">The week's generation number, part of the draw's seed.</param>
public readonly record struct WeekToPlan(DateOnly Week, int Generation);

/// <summary>Either planned weeks or the reason there are none.</summary>
internal sealed record PlanOutcome(IReadOnlyList<WeekPlan> Weeks, IReadOnlyList<PlanShortfall> Shortfalls, string? Problem)
{
    public bool Succeeded => Shortfalls.Count == 0 && Problem is null;
}

/// <summary>
/// Plans weeks from a user's favourites under <see cref="PlanRules"/>. Pure and deterministic: the draw of
/// each week is seeded by (user, week, generation), so the same inputs always give the same plan and a new
/// generation gives a new draw. Days are filled slot by slot (breakfast, lunch, dinner) from a shuffled list
/// of the recipes that may go there, backtracking when a slot has no candidate; at weekends recipes too slow
/// for a weekday come first, so that quick ones stay available for the weekdays around them.
/// </summary>
internal static class MealPlanGenerator
{
    // A week has 21 slots; real favourites fill it in well under a hundred steps. The bound only stops a
    // pathological set of favourites from searching for long before it is reported as impossible.
    private const int StepBudget = 50_000;

    /// <summary>What the favourites lack to follow the rules whatever the draw; empty when they suffice.</summary>
    public static IReadOnlyList<PlanShortfall> CheckFavourites(IReadOnlyList<RecipeSummary> favourites, IReadOnlyList<string> preferences)
    {
        var diet = preferences.Count == 0 ? "" : string.Join(' ', preferences) + " ";
        var shortfalls = new List<PlanShortfall>();
        foreach (var mealType in MealTypes.All)
        {
            var name = MealTypes.ToText(mealType);
            var suitable = favourites.Count(r => r.MealType == mealType && Diets.Suits(r.DietaryTags, preferences));
            var quick = favourites.Count(r => r.MealType == mealType && Diets.Suits(r.DietaryTags, preferences) && r.PrepMinutes <= PlanRules.WeekdayMaxPrepMinutes);
            if (quick < PlanRules.WeekdaysPerWindow)
            {
                shortfalls.Add(new(mealType, PlanRules.WeekdaysPerWindow, quick,
                    $"needs {PlanRules.WeekdaysPerWindow} {diet}{name} recipes ready in ≤ {PlanRules.WeekdayMaxPrepMinutes} min for the weekdays of any {PlanRules.RepeatWindowDays} days; your favourites have {quick}"));
            }

            if (suitable < PlanRules.RepeatWindowDays)
            {
                shortfalls.Add(new(mealType, PlanRules.RepeatWindowDays, suitable,
                    $"needs {PlanRules.RepeatWindowDays} different {diet}{name} recipes, as none may repeat within {PlanRules.RepeatWindowDays} days; your favourites have {suitable}"));
            }
        }

        return shortfalls;
    }

    /// <summary>
    /// Plans <paramref name="weeks"/> (consecutive or not, in date order) for user <paramref name="userId"/>, keeping the
    /// repeat rule against <paramref name="fixedMeals"/>, the meals already planned around them.
    /// </summary>
    public static PlanOutcome Plan(
        int userId,
        IReadOnlyList<RecipeSummary> favourites,
        IReadOnlyList<string> preferences,
        IReadOnlyList<WeekToPlan> weeks,
        IReadOnlyCollection<FixedMeal> fixedMeals)
    {
        ArgumentNullException.ThrowIfNull(favourites);
        ArgumentNullException.ThrowIfNull(preferences);
        ArgumentNullException.ThrowIfNull(weeks);
        ArgumentNullException.ThrowIfNull(fixedMeals);
        var shortfalls = CheckFavourites(favourites, preferences);
        if (shortfalls.Count > 0)
        {
            return new PlanOutcome([], shortfalls, null);
        }

        // Ordered by id so the shuffle's input, and therefore the plan, does not depend on the database's row order.
        var suitable = favourites.Where(r => Diets.Suits(r.DietaryTags, preferences)).OrderBy(r => r.Id).ToArray();
        var planned = new Dictionary<DateOnly, int[]>();
        foreach (var meal in fixedMeals)
        {
            Day(planned, meal.Date)[(int)meal.MealType] = meal.RecipeId;
        }

        var plans = new List<WeekPlan>(weeks.Count);
        foreach (var week in weeks)
        {
            if (PlanWeek(userId, week, suitable, planned) is not { } days)
            {
                return new PlanOutcome([], [],
                    $"The week of {week.Week:yyyy-MM-dd} cannot be arranged: every draw of your favourites breaks a rule (no recipe twice within {PlanRules.RepeatWindowDays} days, "
                    + $"also against the weeks planned around it; no main ingredient twice on one day; at most {PlanRules.WeekdayMaxPrepMinutes} min on weekdays). "
                    + "Add favourites, especially quick ones and ones with other main ingredients.");
            }

            plans.Add(new WeekPlan(week.Week, week.Generation, days));
        }

        return new PlanOutcome(plans, [], null);
    }

    private static PlanDay[]? PlanWeek(int userId, WeekToPlan week, RecipeSummary[] suitable, Dictionary<DateOnly, int[]> planned)
    {
        const int Slots = 21;
        var random = new Random(Seed(userId, week.Week, week.Generation));
        var order = new RecipeSummary[Slots][];
        var cursor = new int[Slots];
        var chosen = new RecipeSummary?[Slots];
        var steps = 0;
        var slot = 0;
        while (slot is >= 0 and < Slots)
        {
            var date = week.Week.AddDays(slot / 3);
            var mealType = (MealType)(slot % 3);
            if (chosen[slot] is not null)
            {
                Day(planned, date)[(int)mealType] = 0;
                chosen[slot] = null;
            }
            else
            {
                order[slot] = Candidates(suitable, date, mealType, random);
                cursor[slot] = 0;
            }

            while (cursor[slot] < order[slot].Length && chosen[slot] is null)
            {
                var candidate = order[slot][cursor[slot]++];
                if (++steps > StepBudget)
                {
                    return null;
                }

                if (Fits(candidate, date, slot, chosen, planned))
                {
                    chosen[slot] = candidate;
                    Day(planned, date)[(int)mealType] = candidate.Id;
                }
            }

            slot = chosen[slot] is null ? slot - 1 : slot + 1;
        }

        if (slot < 0)
        {
            return null;
        }

        var days = new PlanDay[7];
        for (var d = 0; d < days.Length; d++)
        {
            var date = week.Week.AddDays(d);
            days[d] = new PlanDay(date, date.DayOfWeek, [.. chosen.Skip(d * 3).Take(3).Select(r => PlannedMeal.Of(r!))]);
        }

        return days;
    }

    private static RecipeSummary[] Candidates(RecipeSummary[] suitable, DateOnly date, MealType mealType, Random random)
    {
        var weekday = PlanRules.IsWeekday(date);
        var candidates = suitable.Where(r => r.MealType == mealType && (!weekday || r.PrepMinutes <= PlanRules.WeekdayMaxPrepMinutes)).ToArray();
        random.Shuffle(candidates);
        return weekday ? candidates : [.. candidates.OrderByDescending(r => r.PrepMinutes > PlanRules.WeekdayMaxPrepMinutes)];
    }

    private static bool Fits(RecipeSummary candidate, DateOnly date, int slot, RecipeSummary?[] chosen, Dictionary<DateOnly, int[]> planned)
    {
        var meal = (int)candidate.MealType;
        for (var k = 1; k < PlanRules.RepeatWindowDays; k++)
        {
            if ((planned.TryGetValue(date.AddDays(-k), out var before) && before[meal] == candidate.Id)
                || (planned.TryGetValue(date.AddDays(k), out var after) && after[meal] == candidate.Id))
            {
                return false;
            }
        }

        // The day's earlier meals; later ones are not chosen yet.
        for (var s = slot - (slot % 3); s < slot; s++)
        {
            if (string.Equals(chosen[s]?.MainIngredient, candidate.MainIngredient, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static int[] Day(Dictionary<DateOnly, int[]> planned, DateOnly date)
    {
        if (!planned.TryGetValue(date, out var meals))
        {
            planned[date] = meals = new int[3];
        }

        return meals;
    }

    // A stable mix of the three inputs (string and HashCode hashing differ between processes; this must not).
    private static int Seed(int userId, DateOnly week, int generation)
    {
        var x = ((ulong)(uint)userId * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)week.DayNumber * 0xC2B2AE3D27D4EB4FUL) ^ ((ulong)(uint)generation * 0x165667B19E3779F9UL);
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return (int)(x & int.MaxValue);
    }
}
