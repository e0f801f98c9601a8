using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Perf.Db.Tests.NaiveVariants;

/// <summary>
/// Deliberately naive data access, kept in the test project as proof that the database checks can fail. Two
/// endpoints are added in front of the app, on its own data source and session cookie:
/// <list type="bullet">
/// <item><c>GET /naive/shopping?week=</c>: the shopping list with lazy per-recipe ingredient loading: one query
/// for the week's meals, then one query per meal for its ingredients (an N+1).</item>
/// <item><c>GET /naive/recipes-with?ingredient=</c>: recipes that use an ingredient, filtered on
/// <c>recipe_ingredients.name</c>, which has no index (a sequential scan of ~10,000 rows).</item>
/// </list>
/// </summary>
internal sealed class NaiveEndpoints : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map("/naive/shopping", branch => branch.Run(ShoppingAsync));
        app.Map("/naive/recipes-with", branch => branch.Run(RecipesWithAsync));
        next(app);
    };

    private static async Task ShoppingAsync(HttpContext context)
    {
        if (await UserIdAsync(context) is not { } userId)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var monday = DateOnly.ParseExact(context.Request.Query["week"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var dataSource = context.RequestServices.GetRequiredService<NpgsqlDataSource>();
        var ct = context.RequestAborted;
        var recipeIds = new List<int>();
        await using (var meals = dataSource.CreateCommand("SELECT recipe_id FROM planned_meals WHERE user_id = $1 AND date >= $2 AND date < $3"))
        {
            meals.Parameters.Add(new NpgsqlParameter { Value = userId });
            meals.Parameters.Add(new NpgsqlParameter { Value = monday });
            meals.Parameters.Add(new NpgsqlParameter { Value = monday.AddDays(7) });
            await using var reader = await meals.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                recipeIds.Add(reader.GetInt32(0));
            }
        }

        // The naive part: each meal's ingredients are loaded when the meal is visited.
        var totals = new Dictionary<(string Name, string Unit), decimal>();
        foreach (var recipeId in recipeIds)
        {
            await using var ingredients = dataSource.CreateCommand("SELECT name, quantity, unit FROM recipe_ingredients WHERE recipe_id = $1");
            ingredients.Parameters.Add(new NpgsqlParameter { Value = recipeId });
            await using var reader = await ingredients.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = (reader.GetString(0), reader.GetString(2));
                totals[key] = totals.GetValueOrDefault(key) + reader.GetDecimal(1);
            }
        }

        await context.Response.WriteAsJsonAsync(totals.Select(t => new { ingredient = t.Key.Name, unit = t.Key.Unit, quantity = t.Value }), ct);
    }

    private static async Task RecipesWithAsync(HttpContext context)
    {
        var dataSource = context.RequestServices.GetRequiredService<NpgsqlDataSource>();
        await using var command = dataSource.CreateCommand("SELECT DISTINCT recipe_id FROM recipe_ingredients WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = context.Request.Query["ingredient"].ToString() });
        var ids = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync(context.RequestAborted))
        {
            while (await reader.ReadAsync(context.RequestAborted))
            {
                ids.Add(reader.GetInt32(0));
            }
        }

        await context.Response.WriteAsJsonAsync(ids, context.RequestAborted);
    }

    private static async Task<int?> UserIdAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync();
        return result.Succeeded && int.TryParse(result.Principal?.FindFirst("sub")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
