namespace PerfRegression;

/// <summary>
/// Test data for virtual users: a circular feed hands items out in order across all users; a random
/// feed draws with the user's seeded random, so runs are reproducible.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class DataFeed<T>
{
    private readonly T[] _items;
    private readonly bool _random;
    private long _next = -1;

    internal DataFeed(IEnumerable<T> items, bool random)
    {
        _items = items?.ToArray() ?? throw new PerfConfigurationException($"A data feed of {typeof(T).Name} was given null instead of its items. Load the data first, e.g. DataFeed.Circular(await LoadWeeksAsync()).");
        if (_items.Length == 0)
        {
            throw new PerfConfigurationException($"A data feed of {typeof(T).Name} needs at least one item, but the sequence given was empty. Load the data before building the feed.");
        }

        _random = random;
    }

    /// <summary>How many items the feed holds.</summary>
    public int Count => _items.Length;

    /// <summary>The next item for <paramref name="user"/>.</summary>
    public T Next(VirtualUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (_random)
        {
            return _items[user.Random.Next(_items.Length)];
        }

        var index = Interlocked.Increment(ref _next);
        return _items[(int)(index % _items.Length)];
    }
}

/// <summary>Creates data feeds.</summary>
public static class DataFeed
{
    /// <summary>Items in order, wrapping around, shared by all virtual users.</summary>
    public static DataFeed<T> Circular<T>(IEnumerable<T> items) => new(items, random: false);

    /// <summary>Items drawn at random with each virtual user's seeded random (see <see cref="LoadOptions.Seed"/>).</summary>
    public static DataFeed<T> Random<T>(IEnumerable<T> items) => new(items, random: true);
}
