using System.Security.Cryptography;
using EventPlatform.Api.Members;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PerfRegression;
using PerfRegression.PostgreSql;

namespace Perf.Events.Tests.Support;

/// <summary>
/// EventPlatform.Api in memory on a fresh copy of the seeded database, with a token key and webhook secret generated for
/// the run. <see cref="Database"/> reads the copy after a run (the correctness checks); a naive variant derives from
/// this and replaces a service in <see cref="ConfigureServices"/>.
/// </summary>
public class EventPlatformHost(EventsDatabase database) : IAsyncLifetime
{
    private PostgresDatabase? _copy;
    private PerfWebApplicationFactory<Program>? _factory;

    /// <summary>Where the load goes.</summary>
    public ILoadTarget Target { get; private set; } = null!;

    /// <summary>The shared secret webhooks are signed with.</summary>
    public string WebhookSecret { get; } = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>The app's database, for checks after a run.</summary>
    public NpgsqlDataSource Database { get; private set; } = null!;

    /// <summary>Issues members' bearer tokens with the app's key.</summary>
    public MemberTokens Tokens { get; private set; } = null!;

    /// <summary>The test server's HTTP client, for functional tests.</summary>
    public HttpClient CreateClient() => _factory!.CreateClient();

    /// <summary>A WebSocket client of the test server, for functional tests of the room.</summary>
    public Microsoft.AspNetCore.TestHost.WebSocketClient CreateWebSocketClient() => _factory!.Server.CreateWebSocketClient();

    public async ValueTask InitializeAsync()
    {
        _copy = await database.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _factory = new PerfWebApplicationFactory<Program>()
            .WithConnectionString("EventPlatform", _copy.ConnectionString)
            .WithSetting("Auth:TokenKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .WithSetting("Webhooks:SigningSecret", WebhookSecret)
            .WithServices(ConfigureServices);
        Target = _factory.CreateTarget();
        Tokens = _factory.Services.GetRequiredService<MemberTokens>();
        Database = NpgsqlDataSource.Create(_copy.ConnectionString);
    }

    /// <summary>Replaces the app's services; a naive variant swaps in its own implementation here.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (_copy is not null)
        {
            await _copy.DisposeAsync();
        }
    }
}
