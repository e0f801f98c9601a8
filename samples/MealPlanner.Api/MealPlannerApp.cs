using System.Text.Json;
using System.Text.Json.Serialization;
using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using MealPlanner.Api.Shopping;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MealPlanner.Api;

/// <summary>
/// Composition of the app in one place: services, middleware, endpoints. Storage sits behind
/// <see cref="IRecipeRepository"/>, so moving to a database replaces one registration; the feature
/// groups are where authentication will be required.
/// </summary>
public static class MealPlannerApp
{
    /// <summary>Registers the catalogue, the repository, the planner and the HTTP plumbing.</summary>
    public static IServiceCollection AddMealPlanner(this IServiceCollection services)
    {
        // The clock decides which weeks may be planned; tests replace it to pin "today".
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => RecipeCatalogue.Generate());
        services.AddSingleton<IRecipeRepository, InMemoryRecipeRepository>();
        services.AddScoped<WeekPlanService>();

        services.AddProblemDetails();
        services.AddHealthChecks();
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return services;
    }

    /// <summary>Every error, including unmatched routes and unexpected exceptions, is answered with problem details.</summary>
    public static WebApplication UseMealPlanner(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Maps the feature endpoints and <c>GET /health</c>.</summary>
    public static IEndpointRouteBuilder MapMealPlanner(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRecipes();
        endpoints.MapPlanning();
        endpoints.MapShopping();
        endpoints.MapHealthChecks("/health");
        return endpoints;
    }
}
