using System.Reflection;

namespace PerfRegression.Tests.BadInputs;

/// <summary>Every bad input of every <see cref="IBadInputSource"/> in this assembly, by key.</summary>
internal static class BadInputCatalogue
{
    private static readonly Lazy<IReadOnlyList<BadInput>> All = new(Collect);

    public static IReadOnlyList<BadInput> Inputs => All.Value;

    public static BadInput Find(string key) => Inputs.Single(i => i.Key == key);

    private static IReadOnlyList<BadInput> Collect()
        => typeof(BadInputCatalogue).Assembly.GetTypes()
            .Where(t => typeof(IBadInputSource).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => ((IBadInputSource)Activator.CreateInstance(t, nonPublic: true)!).Inputs)
            .ToList();
}

/// <summary>Helpers for writing catalogue entries.</summary>
internal static class BadInputs
{
    /// <summary>A fresh directory under the tests' temp root, for inputs that need files.</summary>
    public static string NewDirectory(string purpose)
    {
        var path = Path.Combine(Support.IsolatedOutputs.Root, "bad-inputs", purpose + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Sets environment variables for the span of <paramref name="act"/>, then restores them.</summary>
    public static async Task WithEnvironmentAsync(IReadOnlyDictionary<string, string?> variables, Func<Task> act)
    {
        var saved = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            await act().ConfigureAwait(false);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
