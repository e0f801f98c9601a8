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

        // The same client chain as LoadTarget.InMemory(server) (cookies over the TestServer handler), except that
        // the server's PreserveExecutionContext stays false. InMemory sets it to true, and then TestServer starts
        // each request with Task.Factory.StartNew from the caller's pool thread: the work lands in that thread's
        // local LIFO queue, so against a fast endpoint one thread ping-pongs a single user's requests while the
        // global queue (other users, timers, the runner's stop) starves, and a 3 s run overruns by up to 30 s.
        // See docs/benchmarks.md; with the flag false, requests are queued to the global queue and runs end on time.
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
