namespace PerfRegression.Session;

/// <summary>
/// What the test framework offers a performance test's session: the test's cancellation, its output, its
/// warnings and its attachments. The xUnit adapter implements it over <c>TestContext.Current</c>; another
/// framework's adapter implements it over its own.
/// </summary>
public interface ITestHost
{
    /// <summary>Cancelled when the test is cancelled or times out.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>Writes <paramref name="text"/> (one or more lines) to the test's output.</summary>
    void WriteLine(string text);

    /// <summary>Adds a warning to the test's result; it does not fail the test.</summary>
    void AddWarning(string warning);

    /// <summary>Attaches a file to the test's result, replacing one of the same name.</summary>
    void Attach(string name, string content);

    /// <summary>Reports progress while the test runs: a line in the test's output, and live where the host can show it.</summary>
    void Progress(string line) => WriteLine(line);

    /// <summary>
    /// Shows <paramref name="line"/> once in the runner's console at every verbosity, apart from the test's output and
    /// warnings: a passed test's one-line result, its warnings and its commands go this way. The xUnit adapter sends a
    /// diagnostic message (shown by <c>dotnet test</c> when diagnostic messages are on). The default adds a warning.
    /// </summary>
    void Announce(string line) => AddWarning(line);
}

/// <summary>A host that offers nothing: no cancellation, and output, warnings and attachments go nowhere (e.g. a benchmark outside any test).</summary>
internal sealed class NoTestHost : ITestHost
{
    public static NoTestHost Instance { get; } = new();

    public CancellationToken CancellationToken => CancellationToken.None;

    public void WriteLine(string text)
    {
    }

    public void AddWarning(string warning)
    {
    }

    public void Attach(string name, string content)
    {
    }
}
