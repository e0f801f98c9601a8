using MealPlanner.Api.Recipes;

namespace MealPlanner.Api.Planning;

/// <summary>Gets a week's plan: reads the candidates from the repository and applies the planner's rules.</summary>
public sealed class WeekPlanService(IRecipeRepository recipes)
{
    /// <summary>The plan of the week starting <paramref name="monday"/>, or <see langword="null"/> when the catalogue cannot fill it.</summary>
    public async Task<WeekPlan?> GetAsync(DateOnly monday, CancellationToken cancellationToken)
        => WeekPlanner.TryPlan(monday, await recipes.ListForPlanningAsync(cancellationToken));
}
