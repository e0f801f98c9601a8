using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace PerfRegression.Tests.Support;

/// <summary>An in-process app whose endpoints the runner tests drive; each test maps what it needs.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app)
    {
        _app = app;
        Target = LoadTarget.InMemory(app.GetTestServer());
    }

    public ILoadTarget Target { get; }

    public static async Task<TestApp> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new TestApp(app);
    }

    /// <summary>An app with <c>GET /ok</c> (200, body "ok") and <c>GET /fail</c> (500).</summary>
    public static Task<TestApp> StartBasicAsync() => StartAsync(app =>
    {
        app.MapGet("/ok", () => Results.Text("ok"));
        app.MapGet("/fail", () => Results.StatusCode(500));
        app.MapGet("/echo-cookie", (HttpContext c) => Results.Text(c.Request.Cookies["user"] ?? "none"));
        app.MapPost("/login/{id}", (HttpContext c, string id) =>
        {
            c.Response.Cookies.Append("user", id);
            return Results.Ok();
        });
    });

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
