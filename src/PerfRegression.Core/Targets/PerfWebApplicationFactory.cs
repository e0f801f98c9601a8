using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PerfRegression;

/// <summary>How a <see cref="PerfWebApplicationFactory{TEntryPoint}"/> serves the app.</summary>
public enum AppHosting
{
    /// <summary>The in-memory TestServer: no sockets, the least noise.</summary>
    InMemory,

    /// <summary>Real Kestrel on a free loopback port: the HTTP stack is measured too.</summary>
    Kestrel,
}

/// <summary>
/// A <see cref="WebApplicationFactory{TEntryPoint}"/> for performance tests: wires connection strings and
/// settings into the app's configuration, runs it in the <c>Production</c> environment, and hands out a
/// load target on the in-memory TestServer or on real Kestrel loopback.
/// </summary>
/// <example>
/// <code>
/// await using var app = new PerfWebApplicationFactory&lt;Program&gt;()
///     .WithConnectionString("MealPlanner", database.ConnectionString)
///     .WithSetting("Auth:SigningKey", key);
/// var report = await Load.RunAsync(app.CreateTarget(), "GET /plan?week=2026-11-23", LoadProfile.Users(100));
/// </code>
/// </example>
/// <typeparam name="TEntryPoint">A type in the app's entry assembly, usually <c>Program</c>.</typeparam>
public class PerfWebApplicationFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Action<IServiceCollection>> _services = [];
    private ILoadTarget? _target;
    private bool _started;

    /// <summary>How the app is served.</summary>
    /// <value>The default value is <see cref="AppHosting.InMemory"/>.</value>
    public AppHosting Hosting { get; private set; } = AppHosting.InMemory;

    /// <summary>The app's hosting environment.</summary>
    /// <value>The default value is <c>Production</c>: no developer exception page, production logging, as deployed.</value>
    public string EnvironmentName { get; private set; } = "Production";

    /// <summary>
    /// Whether the in-memory TestServer flows the caller's execution context (AsyncLocals, the current
    /// Activity) into the app.
    /// </summary>
    /// <value>
    /// The default value is <see langword="false"/>. With it on, TestServer runs each request inline on the
    /// sending thread, so under load the time a request waits for a thread is not measured and latency stops
    /// obeying Little's law. Per-request query capture does not need it: the load runner sends W3C trace
    /// context with every request. Turn it on only for app code that reads the test's AsyncLocals.
    /// </value>
    public bool PreserveExecutionContext { get; private set; }

    /// <summary>
    /// Sets <c>ConnectionStrings:{name}</c> in the app's configuration, visible to code that reads
    /// <c>builder.Configuration</c> before <c>Build()</c> as well as after it.
    /// </summary>
    public PerfWebApplicationFactory<TEntryPoint> WithConnectionString(string name, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return WithSetting($"ConnectionStrings:{name}", connectionString);
    }

    /// <summary>
    /// Sets one configuration value (e.g. <c>Auth:SigningKey</c>), overriding the app's own sources, visible to code
    /// that reads <c>builder.Configuration</c> before <c>Build()</c> as well as after it.
    /// </summary>
    public PerfWebApplicationFactory<TEntryPoint> WithSetting(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ThrowIfStarted();
        _settings[key] = value;
        return this;
    }

    /// <summary>Replaces or adds services after the app registered its own (e.g. a pinned <see cref="TimeProvider"/>).</summary>
    public PerfWebApplicationFactory<TEntryPoint> WithServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ThrowIfStarted();
        _services.Add(configure);
        return this;
    }

    /// <summary>Runs the app in another hosting environment, e.g. <c>Development</c>.</summary>
    public PerfWebApplicationFactory<TEntryPoint> WithEnvironment(string environmentName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(environmentName);
        ThrowIfStarted();
        EnvironmentName = environmentName;
        return this;
    }

    /// <summary>Serves the app on real Kestrel loopback instead of the in-memory TestServer.</summary>
    public PerfWebApplicationFactory<TEntryPoint> WithKestrel()
    {
        ThrowIfStarted();
        Hosting = AppHosting.Kestrel;
        return this;
    }

    /// <summary>Flows the caller's execution context into in-memory requests; see <see cref="PreserveExecutionContext"/>.</summary>
    public PerfWebApplicationFactory<TEntryPoint> WithPreservedExecutionContext(bool preserve = true)
    {
        ThrowIfStarted();
        PreserveExecutionContext = preserve;
        return this;
    }

    /// <summary>
    /// The load target for this app, started on first use: in memory or on Kestrel as configured. The
    /// same target is returned on every call; each virtual user still gets its own client and cookies.
    /// </summary>
    public ILoadTarget CreateTarget()
        => _target ??= Hosting == AppHosting.Kestrel ? LoadTarget.Kestrel(this) : LoadTarget.InMemory(this);

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(EnvironmentName);
        // Host-level settings are what a minimal API sees in builder.Configuration right after CreateBuilder,
        // before Build() (`builder.Configuration.GetConnectionString(...)` to register a data source); app
        // configuration added here reaches only what is read after Build(). Both, so either pattern gets the
        // value; the app-configuration copy is added last, so it wins over appsettings.json, environment
        // variables and user secrets once the app is built.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));

        builder.ConfigureTestServices(services =>
        {
            services.Configure<TestServerOptions>(options => options.PreserveExecutionContext = PreserveExecutionContext);
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    /// <inheritdoc />
    protected override IHost CreateHost(IHostBuilder builder)
    {
        _started = true;
        return base.CreateHost(builder);
    }

    private void ThrowIfStarted()
    {
        if (_started || _target is not null)
        {
            throw new InvalidOperationException("The app has already started, so its configuration is frozen. Configure the factory before calling CreateTarget, CreateClient, Server or Services.");
        }
    }
}
