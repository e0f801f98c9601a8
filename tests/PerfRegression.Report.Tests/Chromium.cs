namespace PerfRegression.Report.Tests;

/// <summary>
/// The Chromium the browser tests drive: <c>PERF_CHROMIUM</c> when set, else the distribution's (Debian's
/// <c>chromium</c> package). Without one the test is skipped with how to install it, unless <c>PERF_REQUIRE_BROWSER=1</c>
/// (CI sets it, having installed Chromium), where a missing browser fails: the check must not vanish there.
/// </summary>
internal static class Chromium
{
    public const string PathVariable = "PERF_CHROMIUM";

    public const string RequireVariable = "PERF_REQUIRE_BROWSER";

    private static readonly string[] Known = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    public static string Find()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{PathVariable} is '{configured}', and no file is there. Point it at a Chromium or Chrome executable, or unset it to use /usr/bin/chromium.");
        }

        if (Known.FirstOrDefault(File.Exists) is { } found)
        {
            return found;
        }

        var missing = $"No Chromium to open the HTML report in: none of {string.Join(", ", Known)} exists and {PathVariable} is not set. Install it (Debian: apt-get install chromium) or set {PathVariable}.";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(missing + $" ({RequireVariable}=1 makes this a failure rather than a skip.)");
        }

        Assert.Skip(missing);
        return string.Empty;
    }
}
