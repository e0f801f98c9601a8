using System.Globalization;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Invariant formatting for query findings and tables. It mirrors PerfRegression.Core's formatting, which is
/// internal to that assembly.
/// </summary>
internal static class QueryFormatting
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("#,0", Invariant);

    public static string Plural(long value, string singular, string plural) => Count(value) + " " + (value == 1 ? singular : plural);

    public static string Percent(double ratio) => (ratio * 100).ToString("0", Invariant) + "%";

    public static string Number(double value, string format = "0.###") => value.ToString(format, Invariant);

    /// <summary>Milliseconds with precision that suits their size: 0.412 ms, 12.3 ms, 512 ms, 1,204 ms.</summary>
    public static string Milliseconds(TimeSpan value)
    {
        var ms = value.TotalMilliseconds;
        var format = ms switch
        {
            < 1 => "0.###",
            < 100 => "0.##",
            < 1000 => "0.#",
            _ => "#,0",
        };
        return ms.ToString(format, Invariant) + " ms";
    }
}
