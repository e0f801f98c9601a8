using System.Globalization;
using PerfRegression.Text;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Invariant formatting for query findings and tables: the library's <see cref="Formatting"/>, plus what
/// findings need besides (plurals, whole percentages, durations given as <see cref="TimeSpan"/>).
/// </summary>
internal static class QueryFormatting
{
    public static string Count(long value) => Formatting.Count(value);

    public static string Plural(long value, string singular, string plural) => Formatting.Plural(value, singular, plural);

    /// <summary>A whole percentage, e.g. <c>87%</c>: findings name shares of a plan's cost, not measurements.</summary>
    public static string Percent(double ratio) => (ratio * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Number(double value, string format = "0.###") => Formatting.Number(value, format);

    /// <summary>Milliseconds with precision that suits their size: 0.412 ms, 12.3 ms, 512 ms, 1,204 ms.</summary>
    public static string Milliseconds(TimeSpan value) => Formatting.Milliseconds(value.TotalMilliseconds);
}
