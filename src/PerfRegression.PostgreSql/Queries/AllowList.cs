using System.Collections.Frozen;

namespace PerfRegression.PostgreSql;

/// <summary>Validates and freezes the allow-lists of the query options: a key, and the reason it is allowed.</summary>
internal static class AllowList
{
    public static void Validate(IDictionary<string, string> entries, string name, string keyHint, string reasonExample, List<string> problems)
    {
        foreach (var (key, reason) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                problems.Add($"{name} has an entry with an empty key; give {keyHint}.");
            }
            else if (string.IsNullOrWhiteSpace(reason))
            {
                problems.Add($"{name}[\"{SqlText.Shorten(key, 60)}\"] has no reason; say why it is deliberate, e.g. \"{reasonExample}\", so that the next reader can judge it.");
            }
        }
    }

    public static FrozenDictionary<string, string> Freeze(IDictionary<string, string> entries, StringComparer comparer) =>
        entries.ToFrozenDictionary(e => e.Key, e => e.Value, comparer);

    /// <summary>The reason a statement is allowed, looked up by its normalised text and then by its fingerprint.</summary>
    public static string? ReasonForStatement(FrozenDictionary<string, string> allowed, string statement, ref string? fingerprint)
    {
        if (allowed.Count == 0)
        {
            return null;
        }

        if (allowed.TryGetValue(statement, out var reason))
        {
            return reason;
        }

        fingerprint ??= SqlNormalizer.Fingerprint(statement);
        return allowed.GetValueOrDefault(fingerprint);
    }
}
