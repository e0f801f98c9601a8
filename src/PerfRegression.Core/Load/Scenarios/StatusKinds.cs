using System.Globalization;

namespace PerfRegression;

/// <summary>Error kinds of HTTP statuses, cached so that a failing route does not allocate a string per request.</summary>
internal static class StatusKinds
{
    private static readonly string[] Kinds = Enumerable.Range(0, 600).Select(code => "HTTP " + code.ToString(CultureInfo.InvariantCulture)).ToArray();

    public static string Of(int status) => status >= 0 && status < Kinds.Length ? Kinds[status] : "HTTP " + status.ToString(CultureInfo.InvariantCulture);
}
