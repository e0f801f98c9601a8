namespace MealPlanner.Api.Shopping;

/// <summary>What to buy for a week's plan.</summary>
/// <param name="Week">The Monday of the week.</param>
/// <param name="Meals">How many planned meals the list covers.</param>
/// <param name="Items">One line per ingredient and unit, sorted by ingredient then unit.</param>
public sealed record ShoppingList(DateOnly Week, int Meals, IReadOnlyList<ShoppingItem> Items);

/// <summary>The total of one ingredient in one unit over the week.</summary>
/// <param name="Ingredient">The ingredient.</param>
/// <param name="Unit">The unit; the same ingredient in another unit is another line.</param>
/// <param name="Quantity">The summed amount.</param>
/// <param name="UsedIn">How many of the week's meals use it.</param>
public sealed record ShoppingItem(string Ingredient, string Unit, decimal Quantity, int UsedIn);
