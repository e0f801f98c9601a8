namespace PerfRegression;

/// <summary>
/// Where load is sent. A target hands out one <see cref="HttpClient"/> per virtual user, so each user
/// keeps its own cookies (for example its auth cookie). Create targets with <see cref="LoadTarget"/>.
/// </summary>
public interface ILoadTarget
{
    /// <summary>A short description for reports, e.g. <c>in-memory TestServer</c> or <c>Kestrel http://127.0.0.1:41234</c>.</summary>
    string Description { get; }

    /// <summary>Whether the system under test runs in this process (so it shares CPU and GC with the load generator).</summary>
    bool InProcess { get; }

    /// <summary>Creates the client of one virtual user. The caller disposes it.</summary>
    HttpClient CreateClient();
}

/// <summary>The app a target serves in this process, for the targets that know it: its build is part of what a test measures.</summary>
internal interface IAppTarget
{
    /// <summary>The app's assembly (a <c>WebApplicationFactory</c>'s entry point), or <see langword="null"/> when unknown.</summary>
    System.Reflection.Assembly? App { get; }
}

/// <summary>A load run's context that wants to know which target each run loads (the session: the app's build).</summary>
internal interface ITargetListener
{
    /// <summary>A run of <paramref name="target"/> is about to start.</summary>
    void TargetUsed(ILoadTarget target);
}

/// <summary>Where a target's requests go, for the targets that know it: checked before a run, so no step quietly loads another server.</summary>
internal interface ITargetAddress
{
    /// <summary>The base address every user's client has, or <see langword="null"/> when unknown.</summary>
    Uri? BaseAddress { get; }

    /// <summary>Whether the target answers every host itself (an in-memory TestServer ignores the host of a URL).</summary>
    bool ServesAnyHost { get; }
}

/// <summary>A target that can open a virtual user's WebSocket (the library's in-memory, Kestrel and external targets).</summary>
internal interface IWebSocketTarget
{
    /// <summary>
    /// Opens a WebSocket to <paramref name="url"/> (http or https; the socket's scheme follows) for the user whose HTTP
    /// client is <paramref name="client"/> (its cookies go with the upgrade request), with <paramref name="headers"/>.
    /// </summary>
    /// <exception cref="InvalidStepException">The server refused the upgrade or could not be reached; the kind says which.</exception>
    Task<System.Net.WebSockets.WebSocket> ConnectWebSocketAsync(HttpClient client, Uri url, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken);
}
