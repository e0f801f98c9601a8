namespace PerfRegression;

/// <summary>
/// One simulated user: its own <see cref="HttpClient"/> (with its own cookies), a seeded random, state
/// set up once, and custom metrics. A virtual user runs one iteration at a time, so its members need
/// no locking.
/// </summary>
public sealed class VirtualUser
{
    private readonly Dictionary<string, object?> _state = new(StringComparer.Ordinal);

    internal VirtualUser(int id, HttpClient http, int seed)
    {
        Id = id;
        Http = http;
        Random = new Random(HashCode.Combine(seed, id));
        if (http.BaseAddress is { IsAbsoluteUri: true } baseAddress && baseAddress.AbsolutePath.Length > 1)
        {
            _pathPrefix = baseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }
    }

    private readonly string? _pathPrefix;

    /// <summary>Whether <paramref name="url"/> goes to the server at <paramref name="baseAddress"/> (same scheme, host and port).</summary>
    internal static bool SameServer(Uri url, Uri baseAddress)
        => Uri.Compare(url, baseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>
    /// Points a scenario's request at this user's target. A path starting with '/' keeps the base address's path
    /// prefix (HttpClient alone would send "/orders" under "http://host/api/" to "http://host/orders", measuring
    /// another route); an absolute URL must go to the target's own server, or the step fails with kind
    /// <c>URL outside the target</c> instead of quietly loading something else.
    /// </summary>
    internal void Aim(HttpRequestMessage request)
    {
        if (request.RequestUri is not { } uri)
        {
            return;
        }

        if (uri.IsAbsoluteUri)
        {
            if (Http.BaseAddress is { IsAbsoluteUri: true } baseAddress && !SameServer(uri, baseAddress))
            {
                throw new InvalidStepException("URL outside the target", $"The request of virtual user {Id} goes to {uri.GetLeftPart(UriPartial.Authority)}, not to the target at {baseAddress.GetLeftPart(UriPartial.Authority)}.");
            }

            return;
        }

        if (_pathPrefix is not null && uri.OriginalString.StartsWith('/'))
        {
            request.RequestUri = new Uri(_pathPrefix + uri.OriginalString, UriKind.Absolute);
        }
    }

    /// <summary>The user's number, 0-based.</summary>
    public int Id { get; }

    /// <summary>The user's HTTP client. Cookies set by the system (e.g. an auth cookie) stay with this user.</summary>
    public HttpClient Http { get; }

    /// <summary>A random seeded from <see cref="LoadOptions.Seed"/> and <see cref="Id"/>, for reproducible runs.</summary>
    public Random Random { get; }

    /// <summary>The number of iterations this user has started in the current phase.</summary>
    public long Iteration { get; internal set; }

    /// <summary>
    /// Whether the run is warming up: what the user does now is discarded, not measured. A scenario whose steps use up
    /// what the measurement needs (the seats of a flash crowd, one-time codes) sends its warm-up elsewhere, e.g.
    /// <c>.Send("rsvp", u =&gt; Rsvp(u.IsWarmingUp ? otherEvent : launchEvent))</c>.
    /// </summary>
    public bool IsWarmingUp { get; internal set; }

    /// <summary>Custom metrics recorded by this user's steps.</summary>
    public CustomMetrics Metrics { get; internal set; } = CustomMetrics.Discarding;

    /// <summary>The user's open WebSocket, once a step connected one; <see langword="null"/> before.</summary>
    public UserWebSocket? WebSocket { get; private set; }

    /// <summary>Opens a WebSocket to the http(s) URL given (the target resolves the scheme), for this user; <see langword="null"/> when the target cannot.</summary>
    internal Func<Uri, IReadOnlyDictionary<string, string>, CancellationToken, Task<System.Net.WebSockets.WebSocket>>? WebSocketConnector { get; init; }

    /// <summary>Whether <paramref name="path"/> can be a WebSocket's path: relative to the target, starting with '/'.</summary>
    internal static bool IsWebSocketPath(string? path) => !string.IsNullOrWhiteSpace(path) && path.StartsWith('/');

    /// <summary>What to give instead of a path that <see cref="IsWebSocketPath"/> refuses.</summary>
    internal const string WebSocketPathFix = "give a path relative to the target that starts with '/', e.g. \"/events/1/room\".";

    /// <summary>
    /// Opens a WebSocket to <paramref name="path"/> (relative to the target, like an HTTP step's) with this user's
    /// cookies and <paramref name="headers"/>, closing the one it had, and keeps it as <see cref="WebSocket"/>. A
    /// scenario's <see cref="Scenario.WebSocketConnect"/> step calls it and times it; call it in a setup to connect once
    /// per user, unmeasured.
    /// </summary>
    /// <exception cref="InvalidOperationException">The target cannot open WebSockets, or the server refused (the step's error kind says why).</exception>
    public async Task<UserWebSocket> ConnectWebSocketAsync(string path, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        if (!IsWebSocketPath(path))
        {
            throw new InvalidStepException("no path", $"Virtual user {Id} was asked to open a WebSocket on '{path}'; {WebSocketPathFix}");
        }

        var connect = WebSocketConnector ?? throw new InvalidStepException("websocket not supported by the target", $"The target of virtual user {Id} cannot open WebSockets: LoadTarget.InMemory, LoadTarget.Kestrel and LoadTarget.External can, a target from a client factory cannot.");
        await CloseWebSocketAsync().ConfigureAwait(false);
        // The same URL an HTTP step's path gets (Aim): the base address's path prefix is kept.
        var url = _pathPrefix is not null ? new Uri(_pathPrefix + path, UriKind.Absolute) : new Uri(Http.BaseAddress ?? new Uri("http://localhost/"), path);
        var socket = await connect(url, headers ?? new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        WebSocket = new UserWebSocket(socket, this, path);
        return WebSocket;
    }

    /// <summary>Releases the user's WebSocket, if any (the end of a run, or a new connection).</summary>
    internal async ValueTask CloseWebSocketAsync()
    {
        if (WebSocket is { } open)
        {
            WebSocket = null;
            await open.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stores a value for this user, e.g. in a setup step.</summary>
    public void Set<T>(string key, T value) => _state[key] = value;

    /// <summary>Reads a value stored with <see cref="Set{T}"/>.</summary>
    /// <exception cref="KeyNotFoundException">No value was stored under <paramref name="key"/>.</exception>
    public T Get<T>(string key)
    {
        if (!_state.TryGetValue(key, out var value))
        {
            throw new KeyNotFoundException($"Virtual user {Id} has no state named '{key}'. Store it in the scenario's setup with user.Set(\"{key}\", value).");
        }

        return (T)value!;
    }

    /// <summary>Reads a value stored with <see cref="Set{T}"/>, or returns <see langword="false"/>.</summary>
    public bool TryGet<T>(string key, out T value)
    {
        if (_state.TryGetValue(key, out var stored) && stored is T typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return false;
    }
}
