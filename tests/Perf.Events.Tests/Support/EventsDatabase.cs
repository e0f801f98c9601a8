using EventPlatform.Api.Data;
using PerfRegression.PostgreSql;

namespace Perf.Events.Tests.Support;

/// <summary>The sample's schema and seed (2,000 members, 100 events, no RSVPs) in a template, copied per test class.</summary>
public sealed class EventsDatabase : PostgresFixture
{
    protected override Task SeedAsync(string connectionString, CancellationToken cancellationToken)
        => EventPlatformDatabase.SeedAsync(connectionString, cancellationToken);
}
