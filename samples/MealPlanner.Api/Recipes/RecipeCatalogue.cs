namespace MealPlanner.Api.Recipes;

/// <summary>
/// The recipe catalogue, generated from a fixed vocabulary with a fixed random seed: the same recipes,
/// ids and ingredients on every run and machine, so plans, shopping lists and latencies are comparable.
/// Seeding (<see cref="Data.MealPlannerDatabase"/>) writes it to the database.
/// </summary>
public sealed class RecipeCatalogue
{
    /// <summary>The number of recipes the app serves.</summary>
    public const int DefaultSize = 1000;

    /// <summary>The seed the app's catalogue is generated with.</summary>
    public const int DefaultSeed = 20261123;

    /// <summary>The fewest ingredients a recipe has.</summary>
    public const int MinIngredients = 6;

    /// <summary>The most ingredients a recipe has.</summary>
    public const int MaxIngredients = 15;

    private RecipeCatalogue(IReadOnlyList<Recipe> recipes) => Recipes = recipes;

    /// <summary>The recipes, by id from 1; meal types take turns (breakfast, lunch, dinner).</summary>
    public IReadOnlyList<Recipe> Recipes { get; }

    /// <summary>Generates <paramref name="size"/> recipes from <paramref name="seed"/>; equal arguments give equal catalogues.</summary>
    public static RecipeCatalogue Generate(int size = DefaultSize, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var random = new Random(seed);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var recipes = new Recipe[size];
        for (var id = 1; id <= size; id++)
        {
            var mealType = (MealType)((id - 1) % 3);
            recipes[id - 1] = Create(id, mealType, CatalogueVocabulary.Menus[mealType], random, names);
        }

        return new RecipeCatalogue(recipes);
    }

    private static Recipe Create(int id, MealType mealType, Menu menu, Random random, HashSet<string> names)
    {
        // Draw name parts until the name is new; the bound keeps a small vocabulary from looping forever.
        string name;
        Dish dish;
        (string Label, string Ingredient) main;
        var attempts = 0;
        do
        {
            var style = menu.Styles[random.Next(menu.Styles.Length)];
            main = menu.Mains[random.Next(menu.Mains.Length)];
            dish = menu.Dishes[random.Next(menu.Dishes.Length)];
            name = $"{style} {main.Label} {dish.Name}";
        }
        while (!names.Add(name) && ++attempts < 100);

        if (attempts == 100)
        {
            name = $"{name} No. {id}";
            names.Add(name);
        }

        var prepMinutes = dish.MinPrep + (5 * random.Next(((dish.MaxPrep - dish.MinPrep) / 5) + 1));

        // The main ingredient and the dish's core first, then extras until the drawn count is reached.
        var target = random.Next(MinIngredients, MaxIngredients + 1);
        var chosen = new List<string>(target) { main.Ingredient };
        foreach (var core in dish.Core.Where(c => !chosen.Contains(c)))
        {
            chosen.Add(core);
        }

        var extras = menu.Extras.ToArray();
        random.Shuffle(extras);
        foreach (var extra in extras)
        {
            if (chosen.Count >= target)
            {
                break;
            }

            if (!chosen.Contains(extra))
            {
                chosen.Add(extra);
            }
        }

        var contains = Contains.None;
        var ingredients = new Ingredient[chosen.Count];
        for (var i = 0; i < chosen.Count; i++)
        {
            var kind = CatalogueVocabulary.Ingredients.TryGetValue(chosen[i], out var known)
                ? known
                : throw new InvalidOperationException($"The catalogue vocabulary uses the ingredient '{chosen[i]}' but does not define it. Add it to CatalogueVocabulary.Ingredients.");
            var unit = kind.Units[random.Next(kind.Units.Length)];
            var steps = (int)((unit.Max - unit.Min) / unit.Step);
            var quantity = unit.Min + (unit.Step * random.Next(steps + 1));
            ingredients[i] = new Ingredient(kind.Name, Quantities.Normalize(quantity), unit.Name);
            contains |= kind.Contains;
        }

        return new Recipe(id, name, mealType, prepMinutes, main.Ingredient, CatalogueVocabulary.TagsFor(contains), ingredients);
    }
}
