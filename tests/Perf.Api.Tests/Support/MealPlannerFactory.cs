using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PerfRegression;

namespace Perf.Api.Tests.Support;

/// <summary>
/// Hosts MealPlanner.Api as it runs in production (the library's <see cref="PerfWebApplicationFactory{TEntryPoint}"/>:
/// environment <c>Production</c>, settings layered over the app's own) on the database at
/// <paramref name="connectionString"/>, with a signing key generated for this instance (<see cref="SigningKey"/>)
/// and today pinned to <see cref="Today"/>. <paramref name="settings"/> override any configuration value; a
/// <see langword="null"/> value removes one. <paramref name="logs"/>, if given, receives every log entry at every level.
/// </summary>
public sealed class MealPlannerFactory : PerfWebApplicationFactory<Program>
{
    /// <summary>The date the app believes it is: a Monday, so the current week is 2026-11-23.</summary>
    public static readonly DateOnly Today = new(2026, 11, 23);

    private readonly CapturingLoggerProvider? _logs;

    public MealPlannerFactory(string? connectionString, IReadOnlyDictionary<string, string?>? settings = null, CapturingLoggerProvider? logs = null)
    {
        _logs = logs;
        WithSetting("ConnectionStrings:MealPlanner", connectionString);
        WithSetting("Auth:SigningKey", Convert.ToBase64String(SigningKey));

        // The app allows 10 log-ins a minute per client address; the tests log in far more often, all from one
        // address (the performance suites log in under load, the user journey on every iteration). A test of the
        // limit itself sets its own in settings.
        WithSetting("Auth:LoginPermitLimit", TestLoginPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            WithSetting(key, value);
        }

        WithServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>The log-in rate limit of the tests: high enough that no suite is ever throttled.</summary>
    public const int TestLoginPermitLimit = 1_000_000;

    /// <summary>The key the app signs session tokens with: 32 random bytes, new for every factory.</summary>
    public byte[] SigningKey { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>The app's clock.</summary>
    public PinnedClock Clock { get; } = new(new DateTimeOffset(Today, new TimeOnly(12, 0), TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (_logs is not null)
        {
            builder.ConfigureLogging(logging =>
            {
                logging.AddProvider(_logs);

                // A rule for this provider beats every category rule of appsettings.json: it sees everything.
                logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
            });
        }
    }
}
