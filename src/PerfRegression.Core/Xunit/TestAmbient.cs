using Xunit;

namespace PerfRegression;

/// <summary>What the current xUnit test offers the framework-free core: output, cancellation, warnings, attachments.</summary>
internal static class TestAmbient
{
    public static CancellationToken CancellationToken => TestContext.Current?.CancellationToken ?? CancellationToken.None;

    public static void WriteLine(string text)
    {
        try
        {
            TestContext.Current?.TestOutputHelper?.WriteLine(text.TrimEnd('\n'));
        }
        catch (InvalidOperationException)
        {
            // No test is running (e.g. a benchmark); the report is still returned to the caller.
        }
    }

    public static void AddWarning(string warning) => TestContext.Current?.AddWarning(warning);

    public static void Attach(string name, string content)
    {
        try
        {
            TestContext.Current?.AddAttachment(name, content, replaceExistingValue: true);
        }
        catch (InvalidOperationException)
        {
            // Attachments exist only while a test runs.
        }
    }
}
