using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Perf.Api.Tests.Support;

/// <summary>
/// Hosts MealPlanner.Api as it runs in production (environment <c>Production</c>: no developer
/// exception page, warning-level framework logs) on the database at <paramref name="connectionString"/>,
/// with a signing key generated for this instance (<see cref="SigningKey"/>) and today pinned to
/// <see cref="Today"/>. <paramref name="settings"/> override any configuration value; a <see langword="null"/>
/// value removes one. <paramref name="logs"/>, if given, receives every log entry at every level.
/// </summary>
public sealed class MealPlannerFactory(string? connectionString, IReadOnlyDictionary<string, string?>? settings = null, CapturingLoggerProvider? logs = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The date the app believes it is: a Monday, so the current week is 2026-11-23.</summary>
    public static readonly DateOnly Today = new(2026, 11, 23);

    /// <summary>The key the app signs session tokens with: 32 random bytes, new for every factory.</summary>
    public byte[] SigningKey { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>The app's clock.</summary>
    public PinnedClock Clock { get; } = new(new DateTimeOffset(Today, new TimeOnly(12, 0), TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration(configuration =>
        {
            var values = new Dictionary<string, string?>
            {
                ["ConnectionStrings:MealPlanner"] = connectionString,
                ["Auth:SigningKey"] = Convert.ToBase64String(SigningKey),
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }

            configuration.AddInMemoryCollection(values);
        });
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
        if (logs is not null)
        {
            builder.ConfigureLogging(logging =>
            {
                logging.AddProvider(logs);

                // A rule for this provider beats every category rule of appsettings.json: it sees everything.
                logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
            });
        }
    }
}
