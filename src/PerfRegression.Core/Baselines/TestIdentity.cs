using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace PerfRegression;

/// <summary>Which test (and theory case) a baseline belongs to, and the stable file name derived from it.</summary>
/// <param name="FullName">Namespace, class, method and arguments: recorded inside the baseline file.</param>
/// <param name="FileName">The file name without extension: <c>{Class}.{Method}</c>, plus <c>({arguments})</c> for a theory case.</param>
internal sealed record TestIdentity(string FullName, string FileName)
{
    private const int MaxArgumentText = 80;

    public static TestIdentity From(MethodInfo method, IReadOnlyList<object?>? arguments)
    {
        var type = method.ReflectedType ?? method.DeclaringType!;
        var args = arguments is { Count: > 0 } ? "(" + string.Join(",", arguments.Select(Format)) + ")" : string.Empty;
        var fullName = $"{type.FullName}.{method.Name}{args}";
        var fileArgs = args.Length == 0 ? string.Empty : Sanitize(args);
        if (fileArgs.Length > MaxArgumentText)
        {
            // Long arguments stay readable in part and unique through a short hash of the whole.
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(args)))[..10].ToLowerInvariant();
            fileArgs = fileArgs[..(MaxArgumentText - 12)] + "~" + hash + ")";
        }

        return new TestIdentity(fullName, $"{type.Name}.{method.Name}{fileArgs}");
    }

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
