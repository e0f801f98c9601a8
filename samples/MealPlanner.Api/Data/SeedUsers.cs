using System.Globalization;
using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;

namespace MealPlanner.Api.Data;

/// <summary>
/// The seeded users, documented so that tests and load scripts can log in: user <c>n</c> (1 to
/// <see cref="Count"/>) is <see cref="Email"/>(n) with password <see cref="Password"/>(n), prefers
/// <see cref="PreferencesOf"/>(n), and has <see cref="FavouritesPerUser"/> favourite recipes chosen
/// (from a fixed seed) so that the planner can always fill a plan for them.
/// </summary>
public static class SeedUsers
{
    /// <summary>How many users seeding creates.</summary>
    public const int Count = 100;

    /// <summary>How many favourite recipes each seeded user has.</summary>
    public const int FavouritesPerUser = 50;

    /// <summary>Of each meal type, how many favourites are quick enough for a weekday: twice what a week needs, so draws vary.</summary>
    public const int QuickFavouritesPerMealType = 10;

    /// <summary>The seed of the favourites' draw.</summary>
    public const int Seed = 20261123;

    /// <summary>The e-mail of user <paramref name="number"/>: <c>user001@mealplanner.test</c> … <c>user100@mealplanner.test</c>.</summary>
    public static string Email(int number) => string.Create(CultureInfo.InvariantCulture, $"user{Check(number):000}@mealplanner.test");

    /// <summary>The password of user <paramref name="number"/>: <c>meal-planner-001</c> … <c>meal-planner-100</c>. Test data only.</summary>
    public static string Password(int number) => string.Create(CultureInfo.InvariantCulture, $"meal-planner-{Check(number):000}");

    /// <summary>
    /// The dietary preferences of user <paramref name="number"/>, by its last digit: 1 vegetarian, 2 gluten-free,
    /// 3 nut-free, 4 vegetarian and gluten-free, 5 dairy-free; any other digit none.
    /// </summary>
    public static IReadOnlyList<string> PreferencesOf(int number) => (Check(number) % 10) switch
    {
        1 => ["vegetarian"],
        2 => ["gluten-free"],
        3 => ["nut-free"],
        4 => ["gluten-free", "vegetarian"],
        5 => ["dairy-free"],
        _ => [],
    };

    /// <summary>
    /// Every user's favourites, by user number: per meal type <see cref="QuickFavouritesPerMealType"/> recipes that
    /// fit a weekday and the user's diet, the rest (up to 17 breakfasts, 17 lunches, 16 dinners) any recipe that
    /// fits the diet. Drawn from <see cref="Seed"/>: the same on every run.
    /// </summary>
    internal static IReadOnlyList<int[]> Favourites(IReadOnlyList<Recipe> catalogue)
    {
        var random = new Random(Seed);
        var all = new int[Count][];
        for (var number = 1; number <= Count; number++)
        {
            var preferences = PreferencesOf(number);
            var chosen = new List<int>(FavouritesPerUser);
            foreach (var mealType in MealTypes.All)
            {
                var target = mealType == MealType.Dinner ? FavouritesPerUser - (2 * (FavouritesPerUser / 3 + 1)) : FavouritesPerUser / 3 + 1;
                var suitable = catalogue.Where(r => r.MealType == mealType && Diets.Suits(r.DietaryTags, preferences)).ToArray();
                var quick = suitable.Where(r => r.PrepMinutes <= PlanRules.WeekdayMaxPrepMinutes).ToArray();
                random.Shuffle(quick);
                random.Shuffle(suitable);
                var picked = quick.Take(QuickFavouritesPerMealType).Select(r => r.Id).ToList();
                picked.AddRange(suitable.Select(r => r.Id).Where(id => !picked.Contains(id)).Take(target - picked.Count));
                if (picked.Count < target || quick.Length < QuickFavouritesPerMealType)
                {
                    throw new InvalidOperationException(
                        $"User {number} ({string.Join(", ", preferences)}) cannot get {target} {MealTypes.ToText(mealType)} favourites, {QuickFavouritesPerMealType} of them quick: "
                        + $"the catalogue has {suitable.Length} suitable, {quick.Length} quick. Change SeedUsers.PreferencesOf or the catalogue.");
                }

                chosen.AddRange(picked);
            }

            chosen.Sort();
            all[number - 1] = [.. chosen];
        }

        return all;
    }

    private static int Check(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, Count);
        return number;
    }
}
