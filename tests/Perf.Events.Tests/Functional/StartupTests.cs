using Microsoft.Extensions.Options;
using PerfRegression;
using Perf.Events.Tests.Support;

namespace Perf.Events.Tests.Functional;

/// <summary>The app refuses to start without its secrets, saying what to set.</summary>
public sealed class StartupTests(EventsDatabase database)
{
    [Fact]
    public async Task Missing_keys_stop_the_app_at_start_with_every_setting_named()
    {
        await using var copy = await database.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        await using var factory = new PerfWebApplicationFactory<Program>().WithConnectionString("EventPlatform", copy.ConnectionString).WithSetting("Webhooks:SigningSecret", "short");

        var start = () => factory.Services;

        var failures = start.Should().Throw<AggregateException>().Which.InnerExceptions;
        failures.Should().AllBeOfType<OptionsValidationException>();
        string.Join("\n", failures.Select(f => f.Message)).Should().Contain("Auth:TokenKey is not set.").And.Contain("Webhooks:SigningSecret is not set or shorter than 16 characters.");
    }
}
