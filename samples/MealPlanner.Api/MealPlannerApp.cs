using System.Text.Json;
using System.Text.Json.Serialization;
using MealPlanner.Api.Accounts;
using MealPlanner.Api.Auth;
using MealPlanner.Api.Data;
using MealPlanner.Api.Favourites;
using MealPlanner.Api.Planning;
using MealPlanner.Api.Recipes;
using MealPlanner.Api.Shopping;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MealPlanner.Api;

/// <summary>
/// Composition of the app in one place: configuration checked at start, PostgreSQL through one
/// <see cref="NpgsqlDataSource"/> shared by EF Core, session authentication, the feature endpoints.
/// </summary>
public static class MealPlannerApp
{
    /// <summary>
    /// Registers the database, authentication, the features and the HTTP plumbing. Settings are read from
    /// configuration when first needed and validated when the host starts, so a missing connection string or
    /// signing key stops the app at start with a message that says what to set.
    /// </summary>
    public static IServiceCollection AddMealPlanner(this IServiceCollection services)
    {
        // The clock decides which weeks may be planned and when sessions expire; tests replace it to pin "today".
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<DatabaseOptions>()
            .BindConfiguration("Database")
            .Configure<IConfiguration>((options, configuration) => options.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton(provider =>
        {
            var builder = new NpgsqlDataSourceBuilder(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString);
            builder.UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>());
            return builder.Build();
        });
        services.AddDbContextPool<MealPlannerDbContext>((provider, options) => options.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>()));
        services.AddHostedService<DatabaseStartup>();

        services.AddMealPlannerAuth();
        services.AddScoped<RecipeQueries>();
        services.AddScoped<PlanService>();

        services.AddProblemDetails();
        services.AddHealthChecks();
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return services;
    }

    /// <summary>Every error, including unmatched routes and unexpected exceptions, is answered with problem details; then authentication and the log-in rate limit.</summary>
    public static WebApplication UseMealPlanner(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Maps the feature endpoints and <c>GET /health</c>.</summary>
    public static IEndpointRouteBuilder MapMealPlanner(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapAuth();
        endpoints.MapAccounts();
        endpoints.MapRecipes();
        endpoints.MapFavourites();
        endpoints.MapPlanning();
        endpoints.MapShopping();
        endpoints.MapHealthChecks("/health").AllowAnonymous();
        return endpoints;
    }
}
