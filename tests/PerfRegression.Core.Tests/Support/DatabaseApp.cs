using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PerfRegression.Tests.Support;

/// <summary>A small app on a real database that the database tests drive: each maps the routes it needs on a data source.</summary>
internal sealed class DatabaseApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NpgsqlDataSource _dataSource;

    private DatabaseApp(WebApplication app, NpgsqlDataSource dataSource, ILoadTarget target)
    {
        _app = app;
        _dataSource = dataSource;
        Target = target;
    }

    public ILoadTarget Target { get; }

    /// <summary>Starts the app in memory (TestServer), or over Kestrel on loopback when <paramref name="kestrel"/> is set.</summary>
    public static async Task<DatabaseApp> StartAsync(string connectionString, Action<WebApplication, NpgsqlDataSource> map, bool kestrel = false, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        var app = builder.Build();
        var dataSource = NpgsqlDataSource.Create(connectionString);
        map(app, dataSource);
        await app.StartAsync(cancellationToken);
        var target = kestrel ? LoadTarget.External(new Uri(app.Urls.First())) : LoadTarget.InMemory(app.GetTestServer());
        return new DatabaseApp(app, dataSource, target);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
