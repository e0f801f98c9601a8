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
    }

    /// <summary>The user's number, 0-based.</summary>
    public int Id { get; }

    /// <summary>The user's HTTP client. Cookies set by the system (e.g. an auth cookie) stay with this user.</summary>
    public HttpClient Http { get; }

    /// <summary>A random seeded from <see cref="LoadOptions.Seed"/> and <see cref="Id"/>, for reproducible runs.</summary>
    public Random Random { get; }

    /// <summary>The number of iterations this user has started in the current phase.</summary>
    public long Iteration { get; internal set; }

    /// <summary>Custom metrics recorded by this user's steps.</summary>
    public CustomMetrics Metrics { get; internal set; } = CustomMetrics.Discarding;

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
