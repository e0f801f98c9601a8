using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace PerfRegression;

/// <summary>Creates load targets: an in-memory TestServer, the same app on real Kestrel loopback, or an external base URL.</summary>
public static partial class LoadTarget
{
    /// <summary>The environment variable that points the same test at an external deployment: <c>PERF_BASE_URL</c>.</summary>
    public const string BaseUrlVariable = "PERF_BASE_URL";

    /// <summary>
    /// The app's in-memory <c>TestServer</c>: no sockets, the fastest and least noisy target.
    /// </summary>
    /// <remarks>
    /// The server's <c>PreserveExecutionContext</c> is left off: with it on, TestServer runs each request
    /// inline on the sending thread, so under load the time a request waits for a thread falls outside
    /// its measured latency (latency then contradicts Little's law). With it off, requests queue in the
    /// thread pool as they would in a real server, and that wait is measured.
    /// </remarks>
    public static ILoadTarget InMemory<TEntryPoint>(WebApplicationFactory<TEntryPoint> factory)
        where TEntryPoint : class
    {
        ThrowIfNull(factory, "factory", "new WebApplicationFactory<Program>()");
        // What factory.CreateClient does with cookies on and redirects off, keeping the user's cookie container for its WebSocket.
        return new ServerTarget("in-memory TestServer", inProcess: true, () =>
        {
            var cookies = new CookieContainer();
#pragma warning disable CA2000 // The client owns the handler chain.
            return Remember(factory.CreateDefaultClient(factory.ClientOptions.BaseAddress, new CookieContainerHandler(cookies)), cookies);
#pragma warning restore CA2000
        }, factory.ClientOptions.BaseAddress, servesAnyHost: true, (http, cookies, headers, ct) => ConnectInMemoryAsync(factory.Server, http, cookies, headers, ct), typeof(TEntryPoint).Assembly);
    }

    /// <summary>
    /// A <see cref="TestServer"/> of a host you built yourself (e.g. <c>WebApplication</c> with
    /// <c>UseTestServer()</c>). Each virtual user gets its own cookies.
    /// </summary>
    public static ILoadTarget InMemory(TestServer server)
    {
        ThrowIfNull(server, "server", "app.GetTestServer() after app.StartAsync()");
        return new ServerTarget("in-memory TestServer", inProcess: true, () =>
        {
#pragma warning disable CA2000 // The client owns the handler chain.
            var handler = new CookieContainerHandler { InnerHandler = server.CreateHandler() };
            return Remember(new HttpClient(handler, disposeHandler: true) { BaseAddress = server.BaseAddress }, handler.Container);
#pragma warning restore CA2000
        }, server.BaseAddress, servesAnyHost: true, (http, cookies, headers, ct) => ConnectInMemoryAsync(server, http, cookies, headers, ct));
    }

    /// <summary>
    /// The same app on real Kestrel, on a free loopback port, reached through real sockets: measures the
    /// HTTP stack too. Call before the factory has created a client or server.
    /// </summary>
    public static ILoadTarget Kestrel<TEntryPoint>(WebApplicationFactory<TEntryPoint> factory)
        where TEntryPoint : class
    {
        ThrowIfNull(factory, "factory", "new WebApplicationFactory<Program>()");
        try
        {
            factory.UseKestrel(0);
            factory.StartServer();
        }
        catch (InvalidOperationException ex)
        {
            throw new PerfConfigurationException(
                "LoadTarget.Kestrel could not switch the factory to Kestrel, most likely because the factory already started its in-memory server "
                + "(CreateClient, Server or Services was used). Create the Kestrel target first, right after creating the factory.", ex);
        }

        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault() ?? throw new PerfConfigurationException("Kestrel started but reported no listening address, so there is nothing to send load to.");
        var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        return new ServerTarget($"Kestrel {uri.GetLeftPart(UriPartial.Authority)}", inProcess: true, () => CreateSocketClient(uri), uri, servesAnyHost: false, ConnectSocketAsync, typeof(TEntryPoint).Assembly);
    }

    /// <summary>A running server at <paramref name="baseAddress"/> (e.g. a staging deployment or a separate process).</summary>
    /// <param name="baseAddress">
    /// An absolute http or https URL. A path prefix is kept: with <c>https://host/api</c>, a step's <c>"/orders"</c> requests
    /// <c>https://host/api/orders</c>.
    /// </param>
    /// <exception cref="PerfConfigurationException">The address is null, relative, not http(s), or has a query or fragment.</exception>
    public static ILoadTarget External(Uri baseAddress)
    {
        if (baseAddress is null)
        {
            throw new PerfConfigurationException("The base address is null. Give the server's URL, e.g. LoadTarget.External(new Uri(\"http://127.0.0.1:5000/\")).");
        }

        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new PerfConfigurationException($"The base address '{baseAddress}' is not an absolute http or https URL. Give one such as http://127.0.0.1:5000/.");
        }

        if (baseAddress.Query.Length > 0 || baseAddress.Fragment.Length > 0)
        {
            throw new PerfConfigurationException($"The base address '{baseAddress}' has a query or fragment, which every request would lose. Give the server's URL only, e.g. {baseAddress.GetLeftPart(UriPartial.Path)}, and put the query into each step's path.");
        }

        // A trailing slash, so that relative paths without one ("orders") also stay under the prefix.
        var normalised = baseAddress.AbsolutePath.EndsWith('/') ? baseAddress : new Uri(baseAddress.GetLeftPart(UriPartial.Path) + "/");
        return new ServerTarget($"external {normalised.GetLeftPart(UriPartial.Path).TrimEnd('/')}", inProcess: false, () => CreateSocketClient(normalised), normalised, servesAnyHost: false, ConnectSocketAsync);
    }

    /// <summary>
    /// <paramref name="fallback"/>, unless the environment variable <c>PERF_BASE_URL</c> holds a base URL:
    /// then that external deployment. The same test runs in-memory on a pull request and against staging
    /// when the variable is set.
    /// </summary>
    public static ILoadTarget FromEnvironment(Func<ILoadTarget> fallback, string variable = BaseUrlVariable)
    {
        if (fallback is null)
        {
            throw new PerfConfigurationException("The fallback target is null. Pass how to create the in-process target, e.g. LoadTarget.FromEnvironment(() => LoadTarget.InMemory(factory)).");
        }

        if (string.IsNullOrWhiteSpace(variable))
        {
            throw new PerfConfigurationException($"The environment variable's name is {(variable is null ? "null" : "empty")}. Leave it out for the default, {BaseUrlVariable}.");
        }

        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback();
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            throw new PerfConfigurationException($"The environment variable {variable} is '{value}', which is not an absolute URL. Set it to the deployment's base URL, e.g. https://staging.example.com/, or unset it to test in-process.");
        }

        return External(uri);
    }

    /// <summary>Any client factory, e.g. one with custom handlers. Each call must return a new client.</summary>
    public static ILoadTarget FromClientFactory(string description, Func<HttpClient> createClient, bool inProcess = false)
    {
        var problems = new Problems();
        if (string.IsNullOrWhiteSpace(description))
        {
            problems.Add("The description is empty. Say what the target is, e.g. \"staging behind the gateway\"; reports name it.");
        }

        if (createClient is null)
        {
            problems.Add("The client factory is null. Pass a function that returns a new HttpClient per call, e.g. () => new HttpClient(handler) { BaseAddress = uri }.");
        }

        problems.ThrowIfAny("LoadTarget.FromClientFactory");
        return new DelegateTarget(description, inProcess, createClient!);
    }

    private static void ThrowIfNull(object? value, string what, string example)
    {
        if (value is null)
        {
            throw new PerfConfigurationException($"The {what} is null, so there is no app to send load to. Pass the one that hosts your app, e.g. {example}.");
        }
    }

    private static HttpClient CreateSocketClient(Uri baseAddress)
    {
#pragma warning disable CA2000 // The client owns the handler (disposeHandler: true).
        var handler = new SocketsHttpHandler
        {
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.All,
        };
        return Remember(new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress }, handler.CookieContainer);
#pragma warning restore CA2000
    }

    /// <summary>Each user's cookies, by its client: its WebSocket upgrade carries them, as a browser's does.</summary>
    private static readonly ConditionalWeakTable<HttpClient, CookieContainer> UserCookies = [];

    private static HttpClient Remember(HttpClient client, CookieContainer cookies)
    {
        UserCookies.AddOrUpdate(client, cookies);
        return client;
    }

    private static async Task<WebSocket> ConnectInMemoryAsync(TestServer server, Uri http, CookieContainer? cookies, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var client = server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            if (cookies?.GetCookieHeader(http) is { Length: > 0 } cookie)
            {
                request.Headers.Cookie = cookie;
            }

            foreach (var (name, value) in headers)
            {
                request.Headers[name] = value;
            }
        };
        try
        {
            return await client.ConnectAsync(WebSocketUri(http), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex) when (ex is not InvalidStepException && HandshakeStatus().Match(ex.Message) is { Success: true } status)
        {
            // TestServer reports a refused upgrade this way; Kestrel's client reports the status itself.
            throw new InvalidStepException($"websocket connect failed (HTTP {status.Groups[1].Value})", $"The server refused the WebSocket upgrade of {http.PathAndQuery} with HTTP {status.Groups[1].Value}.");
        }
    }

    private static async Task<WebSocket> ConnectSocketAsync(Uri http, CookieContainer? cookies, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (cookies is not null)
        {
            socket.Options.Cookies = cookies;
        }

        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        try
        {
            await socket.ConnectAsync(WebSocketUri(http), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException ex)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            var cause = status > 0 ? $"HTTP {status}" : ex.InnerException is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http2 ? http2.HttpRequestError.ToString() : ex.WebSocketErrorCode.ToString();
            throw new InvalidStepException($"websocket connect failed ({cause})", $"The WebSocket upgrade of {http.PathAndQuery} failed ({cause}): {ex.Message}");
        }
    }

    private static Uri WebSocketUri(Uri http) => new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;

    [GeneratedRegex(@"status code:?\s*(\d{3})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HandshakeStatus();

    private class DelegateTarget(string description, bool inProcess, Func<HttpClient> create, Uri? baseAddress = null, bool servesAnyHost = false) : ILoadTarget, ITargetAddress
    {
        public string Description { get; } = description;

        public bool InProcess { get; } = inProcess;

        public Uri? BaseAddress { get; } = baseAddress;

        public bool ServesAnyHost { get; } = servesAnyHost;

        public HttpClient CreateClient() => create();
    }

    /// <summary>A target at a known server, which can also open each user's WebSocket.</summary>
    private sealed class ServerTarget(string description, bool inProcess, Func<HttpClient> create, Uri? baseAddress, bool servesAnyHost, Func<Uri, CookieContainer?, IReadOnlyDictionary<string, string>, CancellationToken, Task<WebSocket>> connect, System.Reflection.Assembly? app = null)
        : DelegateTarget(description, inProcess, create, baseAddress, servesAnyHost), IWebSocketTarget, IAppTarget
    {
        public System.Reflection.Assembly? App { get; } = app;

        public Task<WebSocket> ConnectWebSocketAsync(HttpClient client, Uri url, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
            => connect(url, UserCookies.TryGetValue(client, out var cookies) ? cookies : null, headers, cancellationToken);
    }
}
