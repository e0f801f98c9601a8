using System.Globalization;

namespace PerfRegression.Text;

/// <summary>
/// The invariant formats of everything a person reads: messages, tables, verdicts and reports. Add-on checks
/// use them so that their sections read like the library's own, in every culture.
/// </summary>
public static class Formatting
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A span as people write it: <c>250 ms</c>, <c>1.5 s</c>, <c>5 min</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            // TimeSpan.MinValue has no positive counterpart; one tick less has.
            return "-" + Duration((value == TimeSpan.MinValue ? TimeSpan.MaxValue : value.Negate()));
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

    /// <summary>Milliseconds with a precision that suits their size: <c>0.412 ms</c>, <c>12.3 ms</c>, <c>512 ms</c>; <c>n/a</c> for NaN.</summary>
    public static string Milliseconds(double milliseconds)
    {
        if (double.IsNaN(milliseconds))
        {
            return "n/a";
        }

        var format = milliseconds switch
        {
            < 1 => "0.###",
            < 100 => "0.##",
            < 1000 => "0.#",
            _ => "#,0",
        };
        return milliseconds.ToString(format, Invariant) + " ms";
    }

    /// <summary>A micro-benchmark's time in the unit that suits it: <c>812 ns</c>, <c>38.2 µs</c>, <c>4.13 ms</c>; <c>n/a</c> for NaN.</summary>
    public static string Nanoseconds(double nanoseconds) => nanoseconds switch
    {
        double.NaN => "n/a",
        < 1_000 => nanoseconds.ToString("#,0.##", Invariant) + " ns",
        < 1_000_000 => (nanoseconds / 1_000).ToString("#,0.##", Invariant) + " µs",
        _ => Milliseconds(nanoseconds / 1_000_000),
    };

    /// <summary>A ratio as a percentage: 0.0123 is <c>1.23%</c>.</summary>
    public static string Percent(double ratio) => (ratio * 100).ToString("0.##", Invariant) + "%";

    /// <summary>A relative change with its sign: 0.2 is <c>+20%</c>, -0.05 is <c>-5%</c>.</summary>
    public static string SignedPercent(double ratio) => (ratio * 100).ToString("+0.#;-0.#;0", Invariant) + "%";

    /// <summary>The class and method of a test's full name: <c>Perf.Api.Tests.PlanTests.Calendar</c> is <c>PlanTests.Calendar</c>.</summary>
    internal static string ClassAndMethod(string test) => string.Join('.', test.Split('.').TakeLast(2));

    /// <summary>A count with thousands separators: <c>1,200</c>.</summary>
    public static string Count(long value) => value.ToString("#,0", Invariant);

    /// <summary>A count with its noun: <c>1 request</c>, <c>1,200 requests</c>.</summary>
    public static string Plural(long count, string one, string many) => $"{Count(count)} {(count == 1 ? one : many)}";

    /// <summary>A number in a .NET format, invariantly; the default keeps two decimals.</summary>
    public static string Number(double value, string format = "0.##") => value.ToString(format, Invariant);

    /// <summary>A rate per second: <c>1,234.5/s</c>.</summary>
    public static string Rate(double perSecond) => perSecond.ToString("#,0.#", Invariant) + "/s";

    /// <summary>A size in bytes, in binary units: <c>512 B</c>, <c>12.3 KiB</c>, <c>4.56 MiB</c>.</summary>
    public static string Bytes(double bytes) => Math.Abs(bytes) switch
    {
        < 1024 => bytes.ToString("#,0.#", Invariant) + " B",
        < 1024 * 1024 => (bytes / 1024).ToString("#,0.#", Invariant) + " KiB",
        _ => (bytes / (1024 * 1024)).ToString("#,0.##", Invariant) + " MiB",
    };
}
