using System.Globalization;
using System.Net.Http.Json;
using MealPlanner.Api.Data;
using MealPlanner.Api.Planning;
using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>Test data the virtual users draw from.</summary>
internal static class MealPlannerData
{
    /// <summary>The week the one-line test asks for: the current week when today is pinned (see MealPlannerFactory).</summary>
    public const string CurrentWeek = "2026-11-23";

    /// <summary>The weeks each user plans in <see cref="LogInAndPlanAsync"/>: the most one generation may plan.</summary>
    public const int PlannedWeeks = PlanRules.MaxWeeks;

    /// <summary>The planned weeks from the current one, handed out in turn: users navigate the calendar.</summary>
    public static DataFeed<string> Weeks() => DataFeed.Circular(
        Enumerable.Range(0, PlannedWeeks).Select(w => new DateOnly(2026, 11, 23).AddDays(7 * w).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>What users type into the recipe search (empty: browse the first page), drawn with each user's seeded random.</summary>
    public static DataFeed<string> SearchTerms() => DataFeed.Random(["", "chicken", "curry", "bowl", "soup", "tofu", "pancakes", "salad", "spicy", "bean"]);

    /// <summary>The weeks one multi-week generation plans in the generation scenarios (the seed's "multi-week" request).</summary>
    public const int GeneratedWeeks = 4;

    /// <summary>The seeded user a virtual user plays: <c>Id % 100 + 1</c>, so 100 virtual users are 100 different accounts.</summary>
    public static int UserNumber(VirtualUser user) => (user.Id % SeedUsers.Count) + 1;

    /// <summary>The login request body of the user's seeded account.</summary>
    public static HttpContent LoginBody(VirtualUser user)
    {
        var number = UserNumber(user);
        return JsonContent.Create(new { email = SeedUsers.Email(number), password = SeedUsers.Password(number) });
    }

    /// <summary>The body of a multi-week generation from the current week.</summary>
    public static HttpContent GenerateBody(VirtualUser user) => JsonContent.Create(new { weeks = GeneratedWeeks });

    /// <summary>Scenario set-up (not measured): the virtual user logs in as its seeded user; the session cookie stays with its client.</summary>
    public static async Task LogInAsync(VirtualUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var login = await user.Http.PostAsync("/auth/login", LoginBody(user), cancellationToken);
        login.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Scenario set-up (not measured): the virtual user logs in as a seeded user (user <c>Id % 100 + 1</c>; the
    /// session cookie stays with the user's client) and generates <see cref="PlannedWeeks"/> weeks of plans.
    /// </summary>
    public static async Task LogInAndPlanAsync(VirtualUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await LogInAsync(user, cancellationToken);
        using var plan = await user.Http.PostAsJsonAsync("/plan/generate-multi-week", new { weeks = PlannedWeeks }, cancellationToken);
        plan.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The path of the next week's plan from <paramref name="weeks"/>, remembered as the user's state
    /// <c>week</c>, so that a later shopping-list step asks for the week this user just planned.
    /// </summary>
    public static string PlanAndRemember(VirtualUser user, DataFeed<string> weeks)
    {
        var week = weeks.Next(user);
        user.Set("week", week);
        return $"/plan?week={week}";
    }

    /// <summary>The shopping list of the week the user planned last (see <see cref="PlanAndRemember"/>).</summary>
    public static string ShoppingForRememberedWeek(VirtualUser user) => $"/shopping?week={user.Get<string>("week")}";

    /// <summary>The plan lists 21 meals: a cheap structural check on the body.</summary>
    public static Check PlanHas21Meals { get; } = Check.That("plan has 21 meals", r => Count(r.Body, "\"recipeId\":") == 21);

    /// <summary>The shopping list has at least one item.</summary>
    public static Check ShoppingListHasItems { get; } = Check.That("list has items", r => r.Body.Contains("\"ingredient\":", StringComparison.Ordinal));

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
