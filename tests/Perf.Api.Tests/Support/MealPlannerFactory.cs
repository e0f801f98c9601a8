using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Perf.Api.Tests.Support;

/// <summary>
/// Hosts MealPlanner.Api as it runs in production (environment <c>Production</c>: no developer
/// exception page, warning-level framework logs), with today pinned to <see cref="Today"/>.
/// </summary>
public sealed class MealPlannerFactory : WebApplicationFactory<Program>
{
    /// <summary>The date the app believes it is: a Monday, so the current week is 2026-11-23.</summary>
    public static readonly DateOnly Today = new(2026, 11, 23);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(new PinnedClock(new DateTimeOffset(Today, new TimeOnly(12, 0), TimeSpan.Zero)));
        });
    }
}
