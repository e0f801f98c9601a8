using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace PerfRegression.Checks;

/// <summary>
/// Which test (and theory case) is being checked: the name its verdict shows, the full name recorded in its
/// baseline, the stable file name of its baseline and results, and where its assembly was built (the repository
/// holding its baselines is found above it).
/// </summary>
public sealed record TestIdentity
{
    private const int MaxArgumentText = 80;

    private TestIdentity(string name, string fullName, string fileName, string directory, Assembly? assembly)
    {
        Name = name;
        FullName = fullName;
        FileName = fileName;
        Directory = directory;
        Assembly = assembly;
    }

    /// <summary>Class, method and arguments, e.g. <c>PlanTests.Calendar</c> or <c>PlanTests.Week(2026-11-23)</c>.</summary>
    public string Name { get; }

    /// <summary>Namespace, class, method and arguments: recorded inside the baseline file.</summary>
    public string FullName { get; }

    /// <summary>The file name without extension: <c>{Class}.{Method}</c>, plus <c>({arguments})</c> made safe for a file name.</summary>
    public string FileName { get; }

    /// <summary>The directory of the test assembly; the repository's <c>baselines/</c> and <c>artifacts/</c> are found above it.</summary>
    public string Directory { get; }

    /// <summary>The test assembly, whose build configuration the environment fingerprint records; <see langword="null"/> when unknown.</summary>
    public Assembly? Assembly { get; }

    /// <summary>The identity of test method <paramref name="method"/> called with <paramref name="arguments"/> (a theory case).</summary>
    public static TestIdentity From(MethodInfo method, IReadOnlyList<object?>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        var type = method.ReflectedType ?? method.DeclaringType!;
        var args = arguments is { Count: > 0 } ? "(" + string.Join(",", arguments.Select(Format)) + ")" : string.Empty;
        var fileArgs = args.Length == 0 ? string.Empty : Sanitize(args);
        if (fileArgs.Length > MaxArgumentText)
        {
            // Long arguments stay readable in part and unique through a short hash of the whole.
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(args)))[..10].ToLowerInvariant();
            fileArgs = fileArgs[..(MaxArgumentText - 12)] + "~" + hash + ")";
        }

        var location = Path.GetDirectoryName(type.Assembly.Location);
        return new TestIdentity(
            $"{type.Name}.{method.Name}{args}",
            $"{type.FullName}.{method.Name}{args}",
            $"{type.Name}.{method.Name}{fileArgs}",
            string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : location,
            type.Assembly);
    }

    /// <summary>A test known only by name (e.g. from another test framework); its files are found above <paramref name="directory"/>.</summary>
    /// <param name="name">The test's name, e.g. <c>PlanTests.Calendar</c>; also its full name.</param>
    /// <param name="directory">Where to start looking for the repository; the default is the application's base directory.</param>
    public static TestIdentity Named(string name, string? directory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new TestIdentity(name, name, Sanitize(name), directory ?? AppContext.BaseDirectory, assembly: null);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Sanitize(string text)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat([' ', '"', '\'', '*', '?', ':', '<', '>', '|', '/', '\\']).ToHashSet();
        return new string(text.Select(c => invalid.Contains(c) ? '_' : c).ToArray());
    }
}
