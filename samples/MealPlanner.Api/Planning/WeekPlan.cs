using MealPlanner.Api.Recipes;

namespace MealPlanner.Api.Planning;

/// <summary>A week's calendar: seven days from Monday, each with breakfast, lunch and dinner.</summary>
public sealed record WeekPlan(DateOnly Week, IReadOnlyList<PlanDay> Days);

/// <summary>One day of a plan, its meals in meal-type order.</summary>
public sealed record PlanDay(DateOnly Date, DayOfWeek DayOfWeek, IReadOnlyList<PlannedMeal> Meals);

/// <summary>The recipe chosen for one meal.</summary>
public sealed record PlannedMeal(MealType MealType, int RecipeId, string Name, int PrepMinutes);
