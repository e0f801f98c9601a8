namespace MealPlanner.Api.Recipes;

/// <summary>What an ingredient contains, for deriving a recipe's dietary tags.</summary>
[Flags]
internal enum Contains
{
    None = 0,
    Meat = 1,
    Fish = 2,
    Dairy = 4,
    Egg = 8,
    Honey = 16,
    Gluten = 32,
    Nuts = 64,
}

/// <summary>A unit and the amounts a recipe uses of it: from <paramref name="Min"/> to <paramref name="Max"/> in steps.</summary>
internal sealed record Unit(string Name, decimal Min, decimal Max, decimal Step);

/// <summary>An ingredient the catalogue knows, with the units recipes measure it in.</summary>
internal sealed record IngredientKind(string Name, Unit[] Units, Contains Contains);

/// <summary>A kind of dish for one meal type: its usual prep time and the ingredients it cannot do without.</summary>
internal sealed record Dish(string Name, int MinPrep, int MaxPrep, string[] Core);

/// <summary>What one meal type's recipes are made of: name parts, dishes and the extras that round them off.</summary>
internal sealed record Menu(string[] Styles, (string Label, string Ingredient)[] Mains, Dish[] Dishes, string[] Extras);

/// <summary>The fixed vocabulary the deterministic catalogue is generated from.</summary>
internal static class CatalogueVocabulary
{
    private static readonly Unit Grams = new("g", 25, 500, 25);
    private static readonly Unit Millilitres = new("ml", 50, 500, 50);
    private static readonly Unit Pieces = new("pcs", 1, 4, 1);
    private static readonly Unit Tablespoons = new("tbsp", 1, 4, 0.5m);
    private static readonly Unit Teaspoons = new("tsp", 0.5m, 3, 0.5m);
    private static readonly Unit Cups = new("cup", 0.25m, 2, 0.25m);
    private static readonly Unit Cloves = new("clove", 1, 4, 1);
    private static readonly Unit Slices = new("slice", 1, 4, 1);
    private static readonly Unit Pinches = new("pinch", 1, 2, 1);

    public static IReadOnlyDictionary<string, IngredientKind> Ingredients { get; } = new IngredientKind[]
    {
        // Proteins.
        new("chicken breast", [Grams], Contains.Meat),
        new("beef mince", [Grams], Contains.Meat),
        new("pork shoulder", [Grams], Contains.Meat),
        new("turkey mince", [Grams], Contains.Meat),
        new("bacon", [Grams, Slices], Contains.Meat),
        new("salmon fillet", [Grams, Pieces], Contains.Fish),
        new("cod fillet", [Grams, Pieces], Contains.Fish),
        new("prawns", [Grams], Contains.Fish),
        new("tuna", [Grams], Contains.Fish),
        new("tofu", [Grams], Contains.None),
        new("halloumi", [Grams], Contains.Dairy),
        new("eggs", [Pieces], Contains.Egg),
        new("chickpeas", [Grams, Cups], Contains.None),
        new("lentils", [Grams, Cups], Contains.None),
        new("black beans", [Grams, Cups], Contains.None),

        // Vegetables and fruit.
        new("sweet potato", [Grams, Pieces], Contains.None),
        new("mushrooms", [Grams], Contains.None),
        new("spinach", [Grams, Cups], Contains.None),
        new("aubergine", [Pieces, Grams], Contains.None),
        new("courgette", [Pieces, Grams], Contains.None),
        new("bell pepper", [Pieces], Contains.None),
        new("onion", [Pieces, Grams], Contains.None),
        new("garlic", [Cloves], Contains.None),
        new("tomatoes", [Pieces, Grams], Contains.None),
        new("cherry tomatoes", [Grams], Contains.None),
        new("carrot", [Pieces, Grams], Contains.None),
        new("broccoli", [Grams], Contains.None),
        new("avocado", [Pieces], Contains.None),
        new("cucumber", [Pieces], Contains.None),
        new("red cabbage", [Grams], Contains.None),
        new("kale", [Grams], Contains.None),
        new("peas", [Grams, Cups], Contains.None),
        new("sweetcorn", [Grams], Contains.None),
        new("lettuce", [Pieces, Grams], Contains.None),
        new("spring onions", [Pieces], Contains.None),
        new("potatoes", [Grams], Contains.None),
        new("lemon", [Pieces], Contains.None),
        new("lime", [Pieces], Contains.None),
        new("ginger", [Grams, Teaspoons], Contains.None),
        new("banana", [Pieces], Contains.None),
        new("blueberries", [Grams, Cups], Contains.None),
        new("strawberries", [Grams], Contains.None),
        new("raspberries", [Grams], Contains.None),
        new("apple", [Pieces], Contains.None),
        new("mango", [Pieces], Contains.None),

        // Dairy.
        new("milk", [Millilitres, Cups], Contains.Dairy),
        new("butter", [Grams, Tablespoons], Contains.Dairy),
        new("cheddar", [Grams], Contains.Dairy),
        new("feta", [Grams], Contains.Dairy),
        new("parmesan", [Grams], Contains.Dairy),
        new("mozzarella", [Grams], Contains.Dairy),
        new("greek yogurt", [Grams, Cups], Contains.Dairy),

        // Grains, breads and pastry.
        new("rolled oats", [Grams, Cups], Contains.Gluten),
        new("flour", [Grams, Cups], Contains.Gluten),
        new("bread", [Slices], Contains.Gluten),
        new("tortillas", [Pieces], Contains.Gluten),
        new("pasta", [Grams], Contains.Gluten),
        new("noodles", [Grams], Contains.Gluten),
        new("lasagne sheets", [Grams], Contains.Gluten | Contains.Egg),
        new("puff pastry", [Grams], Contains.Gluten | Contains.Dairy),
        new("rice", [Grams, Cups], Contains.None),
        new("arborio rice", [Grams], Contains.None),
        new("quinoa", [Grams, Cups], Contains.None),

        // Nuts and seeds.
        new("almonds", [Grams], Contains.Nuts),
        new("walnuts", [Grams], Contains.Nuts),
        new("cashews", [Grams], Contains.Nuts),
        new("peanut butter", [Tablespoons, Grams], Contains.Nuts),
        new("chia seeds", [Tablespoons], Contains.None),

        // Pantry.
        new("olive oil", [Tablespoons, Millilitres], Contains.None),
        new("sesame oil", [Tablespoons], Contains.None),
        new("vegetable stock", [Millilitres], Contains.None),
        new("coconut milk", [Millilitres], Contains.None),
        new("tomato passata", [Millilitres, Grams], Contains.None),
        new("soy sauce", [Tablespoons], Contains.Gluten),
        new("curry paste", [Tablespoons], Contains.None),
        new("honey", [Tablespoons, Teaspoons], Contains.Honey),
        new("maple syrup", [Tablespoons], Contains.None),
        new("baking powder", [Teaspoons], Contains.None),
        new("vanilla extract", [Teaspoons], Contains.None),
        new("salt", [Teaspoons, Pinches], Contains.None),
        new("black pepper", [Teaspoons, Pinches], Contains.None),
        new("cumin", [Teaspoons], Contains.None),
        new("paprika", [Teaspoons], Contains.None),
        new("cinnamon", [Teaspoons], Contains.None),
        new("chilli flakes", [Teaspoons, Pinches], Contains.None),
        new("basil", [Grams], Contains.None),
        new("parsley", [Grams], Contains.None),
        new("coriander", [Grams], Contains.None),
    }.ToDictionary(i => i.Name, StringComparer.Ordinal);

    private static readonly string[] SavouryStyles =
        ["Smoky", "Zesty", "Spiced", "Herby", "Creamy", "Garlicky", "Lemony", "Crispy", "Rustic", "Spicy", "Ginger", "Mediterranean", "Thai-Style", "Mexican-Style", "Roasted", "Sticky"];

    private static readonly string[] SavouryExtras =
        ["olive oil", "salt", "black pepper", "garlic", "onion", "lemon", "lime", "ginger", "cumin", "paprika", "chilli flakes", "coriander", "parsley", "basil",
         "spring onions", "cherry tomatoes", "spinach", "carrot", "peas", "sweetcorn", "red cabbage", "cucumber", "feta", "parmesan", "sesame oil", "cashews",
         "broccoli", "courgette", "kale"];

    /// <summary>The menus by meal type.</summary>
    public static IReadOnlyDictionary<MealType, Menu> Menus { get; } = new Dictionary<MealType, Menu>
    {
        [MealType.Breakfast] = new(
            ["Sunny", "Golden", "Cosy", "Fresh", "Toasted", "Fluffy", "Hearty", "Nutty", "Berry", "Cinnamon", "Maple", "Green", "Simple", "Classic", "Warm", "Crunchy"],
            [("Banana", "banana"), ("Blueberry", "blueberries"), ("Apple", "apple"), ("Raspberry", "raspberries"), ("Mango", "mango"), ("Spinach", "spinach"),
             ("Mushroom", "mushrooms"), ("Bacon", "bacon"), ("Avocado", "avocado"), ("Tomato", "tomatoes"), ("Feta", "feta"), ("Salmon", "salmon fillet"),
             ("Peanut Butter", "peanut butter"), ("Almond", "almonds")],
            [new("Porridge", 5, 15, ["rolled oats", "milk"]),
             new("Overnight Oats", 5, 10, ["rolled oats", "greek yogurt", "chia seeds"]),
             new("Pancakes", 15, 30, ["flour", "eggs", "milk"]),
             new("Omelette", 10, 20, ["eggs", "butter"]),
             new("Scramble", 10, 20, ["eggs", "butter"]),
             new("Smoothie Bowl", 5, 10, ["greek yogurt", "chia seeds"]),
             new("Granola Bowl", 5, 15, ["rolled oats", "honey", "greek yogurt"]),
             new("Toast", 5, 15, ["bread", "butter"]),
             new("Frittata", 25, 40, ["eggs", "cheddar"]),
             new("Muffins", 30, 45, ["flour", "eggs", "baking powder"]),
             new("Shakshuka", 25, 35, ["eggs", "tomato passata", "onion"]),
             new("Breakfast Burrito", 15, 25, ["tortillas", "eggs", "black beans"])],
            ["milk", "honey", "maple syrup", "cinnamon", "vanilla extract", "butter", "greek yogurt", "chia seeds", "almonds", "walnuts", "blueberries",
             "strawberries", "banana", "salt", "black pepper", "spinach", "cherry tomatoes", "chilli flakes", "olive oil", "parsley", "lemon", "rolled oats"]),
        [MealType.Lunch] = new(
            SavouryStyles,
            [("Chicken", "chicken breast"), ("Tuna", "tuna"), ("Halloumi", "halloumi"), ("Chickpea", "chickpeas"), ("Lentil", "lentils"), ("Prawn", "prawns"),
             ("Tofu", "tofu"), ("Sweet Potato", "sweet potato"), ("Mushroom", "mushrooms"), ("Feta", "feta"), ("Quinoa", "quinoa"), ("Black Bean", "black beans"),
             ("Turkey", "turkey mince"), ("Salmon", "salmon fillet"), ("Avocado", "avocado"), ("Egg", "eggs")],
            [new("Salad", 10, 20, ["lettuce", "cucumber", "olive oil"]),
             new("Wrap", 10, 20, ["tortillas", "lettuce"]),
             new("Soup", 20, 50, ["vegetable stock", "onion"]),
             new("Sandwich", 5, 15, ["bread", "butter"]),
             new("Grain Bowl", 15, 30, ["quinoa", "spinach"]),
             new("Quesadilla", 15, 25, ["tortillas", "cheddar"]),
             new("Noodle Salad", 15, 25, ["noodles", "soy sauce", "carrot"]),
             new("Flatbread", 20, 35, ["flour", "greek yogurt"]),
             new("Poke Bowl", 15, 30, ["rice", "soy sauce", "avocado"]),
             new("Buddha Bowl", 20, 40, ["rice", "kale", "sesame oil"])],
            SavouryExtras),
        [MealType.Dinner] = new(
            SavouryStyles,
            [("Chicken", "chicken breast"), ("Beef", "beef mince"), ("Pork", "pork shoulder"), ("Salmon", "salmon fillet"), ("Cod", "cod fillet"), ("Prawn", "prawns"),
             ("Tofu", "tofu"), ("Chickpea", "chickpeas"), ("Lentil", "lentils"), ("Mushroom", "mushrooms"), ("Aubergine", "aubergine"), ("Sweet Potato", "sweet potato"),
             ("Turkey", "turkey mince"), ("Halloumi", "halloumi"), ("Black Bean", "black beans"), ("Spinach", "spinach")],
            [new("Curry", 25, 60, ["curry paste", "coconut milk", "rice", "onion"]),
             new("Stir-Fry", 15, 25, ["noodles", "soy sauce", "bell pepper"]),
             new("Risotto", 30, 45, ["arborio rice", "vegetable stock", "parmesan"]),
             new("Pasta Bake", 35, 55, ["pasta", "tomato passata", "mozzarella"]),
             new("Tacos", 20, 35, ["tortillas", "lime"]),
             new("Stew", 45, 90, ["potatoes", "carrot", "vegetable stock"]),
             new("Traybake", 30, 50, ["potatoes", "olive oil", "bell pepper"]),
             new("Chili", 35, 60, ["black beans", "tomato passata", "cumin"]),
             new("Lasagne", 60, 90, ["lasagne sheets", "tomato passata", "mozzarella"]),
             new("Pie", 50, 80, ["puff pastry", "vegetable stock", "peas"]),
             new("Noodle Soup", 20, 35, ["noodles", "ginger", "vegetable stock"]),
             new("Fajitas", 20, 30, ["tortillas", "bell pepper", "paprika"]),
             new("Skewers", 20, 35, ["bell pepper", "courgette", "olive oil"])],
            SavouryExtras),
    };

    /// <summary>The dietary tags a recipe of ingredients containing <paramref name="contains"/> earns, sorted.</summary>
    public static IReadOnlyList<string> TagsFor(Contains contains)
    {
        var tags = new List<string>(5);
        if ((contains & Contains.Dairy) == 0)
        {
            tags.Add("dairy-free");
        }

        if ((contains & Contains.Gluten) == 0)
        {
            tags.Add("gluten-free");
        }

        if ((contains & Contains.Nuts) == 0)
        {
            tags.Add("nut-free");
        }

        var vegetarian = (contains & (Contains.Meat | Contains.Fish)) == 0;
        if (vegetarian && (contains & (Contains.Dairy | Contains.Egg | Contains.Honey)) == 0)
        {
            tags.Add("vegan");
        }

        if (vegetarian)
        {
            tags.Add("vegetarian");
        }

        return tags;
    }
}
