using MealPlanner.Api.Recipes;

namespace MealPlanner.Api.Planning;

/// <summary>A week's calendar: seven days from Monday, each with breakfast, lunch and dinner.</summary>
/// <param name="Week">The Monday that starts the week.</param>
/// <param name="Generation">How many times the week has been (re)generated: 1 for the first plan. With the user and the week it determines the draw.</param>
/// <param name="Days">Monday to Sunday.</param>
public sealed record WeekPlan(DateOnly Week, int Generation, IReadOnlyList<PlanDay> Days);

/// <summary>One day of a plan, its meals in meal-type order.</summary>
/// <param name="Date">The day.</param>
/// <param name="DayOfWeek">The day of the week, for readers of the JSON.</param>
/// <param name="Meals">Breakfast, lunch and dinner.</param>
public sealed record PlanDay(DateOnly Date, DayOfWeek DayOfWeek, IReadOnlyList<PlannedMeal> Meals);

/// <summary>The recipe chosen for one meal, summarised.</summary>
/// <param name="MealType">The meal.</param>
/// <param name="RecipeId">The recipe's id; <c>GET /recipes/{id}</c> has its ingredients.</param>
/// <param name="Name">The recipe's name.</param>
/// <param name="PrepMinutes">How long it takes to make.</param>
/// <param name="MainIngredient">The ingredient it is built around.</param>
/// <param name="DietaryTags">The diets it suits.</param>
public sealed record PlannedMeal(MealType MealType, int RecipeId, string Name, int PrepMinutes, string MainIngredient, IReadOnlyList<string> DietaryTags)
{
    /// <summary>The meal <paramref name="recipe"/> makes.</summary>
    public static PlannedMeal Of(RecipeSummary recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return new(recipe.MealType, recipe.Id, recipe.Name, recipe.PrepMinutes, recipe.MainIngredient, recipe.DietaryTags);
    }
}

/// <summary>The answer of <c>POST /plan/generate-multi-week</c>: the weeks planned.</summary>
/// <param name="StartWeek">The first week's Monday.</param>
/// <param name="Weeks">How many weeks were planned.</param>
/// <param name="Plans">The weeks, in order.</param>
public sealed record PlanSummary(DateOnly StartWeek, int Weeks, IReadOnlyList<WeekPlan> Plans);

/// <summary>Why favourites cannot fill a plan: a meal type lacks recipes for one rule.</summary>
/// <param name="MealType">The meal type that lacks recipes.</param>
/// <param name="Needed">How many suitable favourites the rule needs.</param>
/// <param name="Have">How many the user has.</param>
/// <param name="Message">The shortfall in words, e.g. "needs 5 breakfast recipes ready in ≤ 30 min for the weekdays of any 7 days; your favourites have 4".</param>
public sealed record PlanShortfall(MealType MealType, int Needed, int Have, string Message);
