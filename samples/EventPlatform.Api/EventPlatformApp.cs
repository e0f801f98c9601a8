using EventPlatform.Api.Data;
using EventPlatform.Api.Events;
using EventPlatform.Api.Members;
using EventPlatform.Api.Rooms;
using EventPlatform.Api.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventPlatform.Api;

/// <summary>
/// Composition of the app in one place: configuration checked at start, PostgreSQL through one
/// <see cref="NpgsqlDataSource"/>, member tokens, the RSVP store, the payment webhook and the event rooms.
/// </summary>
public static class EventPlatformApp
{
    /// <summary>
    /// Registers the database, member authentication, the features and the HTTP plumbing. Settings are validated
    /// when the host starts, so a missing connection string or key stops the app with a message that says what to set.
    /// </summary>
    public static IServiceCollection AddEventPlatform(this IServiceCollection services)
    {
        // The clock stamps RSVPs and payments and bounds a webhook signature's age; tests replace it.
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
        services.AddHostedService<DatabaseStartup>();

        services.AddOptions<MemberTokenOptions>().BindConfiguration("Auth").ValidateOnStart();
        services.AddSingleton<IValidateOptions<MemberTokenOptions>, MemberTokenOptionsValidator>();
        services.AddSingleton<MemberTokens>();

        services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks").ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.TryAddSingleton<IPaymentWebhooks, PaymentWebhooks>();

        services.TryAddSingleton<IRsvpStore, RsvpStore>();
        services.AddSingleton<EventQueries>();
        services.AddSingleton<EventRooms>();

        services.AddProblemDetails();
        services.AddHealthChecks();
        return services;
    }

    /// <summary>Every error, including unmatched routes and unexpected exceptions, is answered with problem details; WebSockets are accepted.</summary>
    public static WebApplication UseEventPlatform(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        return app;
    }

    /// <summary>Maps the feature endpoints and <c>GET /health</c>.</summary>
    public static IEndpointRouteBuilder MapEventPlatform(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapEvents();
        endpoints.MapRsvps();
        endpoints.MapRooms();
        endpoints.MapWebhooks();
        endpoints.MapHealthChecks("/health");
        return endpoints;
    }
}
