using BenchmarkDotNet.Attributes;
using MealPlanner.Api.Recipes;
using MealPlanner.Api.Shopping;

namespace MealPlanner.Benchmarks;

/// <summary>The shopping-list builder on a full week: 21 meals of eight ingredient lines, 40 ingredients in two units.</summary>
public class ShoppingListBenchmarks
{
    private readonly DateOnly _week = new(2026, 11, 23);
    private MealIngredient[] _lines = [];

    /// <summary>The week's 168 ingredient lines.</summary>
    [GlobalSetup]
    public void Setup()
        => _lines = Enumerable.Range(0, 21).SelectMany(meal => Enumerable.Range(0, 8).Select(line => new MealIngredient(
            _week.AddDays(meal / 3),
            (MealType)(meal % 3),
            $"ingredient {((meal * 5) + line) % 40}",
            0.25m * (line + 1),
            line % 4 == 0 ? "ml" : "g"))).ToArray();

    /// <summary>Aggregates the week into its shopping list.</summary>
    [Benchmark]
    public int BuildWeek() => ShoppingListBuilder.Build(_week, _lines).Items.Count;
}
