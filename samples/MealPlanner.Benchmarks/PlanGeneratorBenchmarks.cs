using BenchmarkDotNet.Attributes;
using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;

namespace MealPlanner.Benchmarks;

/// <summary>The plan generator on a realistic set of favourites: four weeks drawn for one user, as POST /plan/generate does.</summary>
public class PlanGeneratorBenchmarks
{
    private static readonly string[] MainIngredients = ["chicken", "beef", "tofu", "salmon", "lentils", "eggs", "pasta", "rice", "beans", "mushrooms"];
    private RecipeSummary[] _favourites = [];
    private WeekToPlan[] _weeks = [];

    /// <summary>Twelve favourites per meal, nine of them quick enough for a weekday, ten main ingredients.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _favourites = MealTypes.All.SelectMany((mealType, m) => Enumerable.Range(0, 12).Select(i =>
        {
            var id = (m * 100) + i + 1;
            return new RecipeSummary(id, $"{mealType} {i}", mealType, i < 9 ? 10 + (i * 2) : 45, MainIngredients[(i + (m * 3)) % MainIngredients.Length], []);
        })).ToArray();
        var monday = new DateOnly(2026, 11, 23);
        _weeks = Enumerable.Range(0, 4).Select(w => new WeekToPlan(monday.AddDays(7 * w), 1)).ToArray();
    }

    /// <summary>Four weeks of 21 meals each.</summary>
    [Benchmark]
    public int PlanFourWeeks()
    {
        var outcome = MealPlanGenerator.Plan(userId: 7, _favourites, [], _weeks, []);
        return outcome.Weeks.Count;
    }
}
