using EventPlatform.Api.Events;
using EventPlatform.Api.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Perf.Events.Tests.Support;

namespace Perf.Events.Tests.NaiveVariants;

/// <summary>The app with RSVPs stored without a capacity check.</summary>
public sealed class UncheckedCapacityApp(EventsDatabase database) : EventPlatformHost(database)
{
    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<IRsvpStore>();
        services.AddSingleton<IRsvpStore>(provider => new NaiveRsvpStore(provider.GetRequiredService<NpgsqlDataSource>(), NaiveCapacity.Removed));
    }
}

/// <summary>The app with the capacity checked by counting RSVPs before the insert.</summary>
public sealed class CountFirstCapacityApp(EventsDatabase database) : EventPlatformHost(database)
{
    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<IRsvpStore>();
        services.AddSingleton<IRsvpStore>(provider => new NaiveRsvpStore(provider.GetRequiredService<NpgsqlDataSource>(), NaiveCapacity.CountedFirst));
    }
}

/// <summary>The app with a payment webhook that processes replays again.</summary>
public sealed class ReplayingWebhooksApp(EventsDatabase database) : EventPlatformHost(database)
{
    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<IPaymentWebhooks>();
        services.AddSingleton<IPaymentWebhooks, NaivePaymentWebhooks>();
    }
}
