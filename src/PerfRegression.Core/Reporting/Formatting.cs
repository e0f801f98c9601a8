using System.Globalization;

namespace PerfRegression;

/// <summary>Invariant formatting for everything a human reads: messages, tables, summaries.</summary>
internal static class Formatting
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Duration(value.Negate());
        }

        if (value.Ticks % TimeSpan.TicksPerMinute == 0 && value >= TimeSpan.FromMinutes(1))
        {
            return value.TotalMinutes.ToString("0.##", Invariant) + " min";
        }

        if (value >= TimeSpan.FromSeconds(1))
        {
            return value.TotalSeconds.ToString("0.###", Invariant) + " s";
        }

        return value.TotalMilliseconds.ToString("0.###", Invariant) + " ms";
    }

    /// <summary>Milliseconds with precision that suits their size: 0.412 ms, 12.3 ms, 512 ms.</summary>
    public static string Milliseconds(double ms)
    {
        if (double.IsNaN(ms))
        {
            return "n/a";
        }

        var format = ms switch
        {
            < 1 => "0.###",
            < 100 => "0.##",
            < 1000 => "0.#",
            _ => "#,0",
        };
        return ms.ToString(format, Invariant) + " ms";
    }

    public static string Percent(double ratio) => (ratio * 100).ToString("0.##", Invariant) + "%";

    public static string SignedPercent(double ratio)
    {
        var text = (ratio * 100).ToString("+0.#;-0.#;0", Invariant);
        return text + "%";
    }

    public static string Count(long value) => value.ToString("#,0", Invariant);

    public static string Number(double value, string format = "0.##") => value.ToString(format, Invariant);

    public static string Rate(double perSecond) => perSecond.ToString("#,0.#", Invariant) + "/s";
}
