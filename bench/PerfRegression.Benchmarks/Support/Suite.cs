namespace PerfRegression.Benchmarks.Support;

/// <summary>
/// A named benchmark suite: it writes human-readable output as it goes and adds its figures. A suite that takes
/// options after its name documents them in <paramref name="Options"/> and checks them, before anything runs, with
/// <paramref name="CheckOptions"/> (throwing <see cref="SuiteOptionsException"/>); <paramref name="InAll"/> says
/// whether <c>all</c> runs it.
/// </summary>
internal sealed record Suite(
    string Name,
    string Summary,
    Func<Figures, IReadOnlyList<string>, CancellationToken, Task> RunAsync,
    string? Options = null,
    Action<IReadOnlyList<string>>? CheckOptions = null,
    bool InAll = true)
{
    /// <summary>A suite without options.</summary>
    public Suite(string name, string summary, Func<Figures, CancellationToken, Task> runAsync)
        : this(name, summary, (figures, _, cancellationToken) => runAsync(figures, cancellationToken))
    {
    }
}

/// <summary>Options a suite cannot use: the program prints the message and the usage and exits 2.</summary>
internal sealed class SuiteOptionsException(string message) : Exception(message);
