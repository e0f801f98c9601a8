using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace PerfRegression.Benchmarks.Support;

/// <summary>An app hosted in this process on an in-memory TestServer, as the library's users host theirs.</summary>
internal sealed class InProcessApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessApp(WebApplication app)
    {
        _app = app;
        var server = app.GetTestServer();
        Server = server;

        // The same client chain as LoadTarget.InMemory(server): cookies over the TestServer handler, with the
        // server's PreserveExecutionContext left off, as the library does (with it on, TestServer runs requests
        // on the caller's local queue and a fast endpoint starves other users and timers; see docs/benchmarks.md).
        Target = LoadTarget.FromClientFactory(
            "in-memory TestServer",
            () => new HttpClient(new CookieContainerHandler { InnerHandler = server.CreateHandler() }, disposeHandler: true) { BaseAddress = server.BaseAddress },
            inProcess: true);
    }

    public ILoadTarget Target { get; }

    /// <summary>The in-memory server, for suites that target it as users do, with <see cref="LoadTarget.InMemory(TestServer)"/>.</summary>
    public TestServer Server { get; }

    public static async Task<InProcessApp> StartAsync(Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();

        // Logging would cost more per request than the endpoints being measured.
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        return new InProcessApp(app);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
