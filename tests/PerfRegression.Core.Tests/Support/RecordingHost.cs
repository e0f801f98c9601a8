using PerfRegression.Session;

namespace PerfRegression.Tests.Support;

/// <summary>A test host that keeps what a session sends to each channel of the console: output, warnings, announcements.</summary>
internal sealed class RecordingHost : ITestHost
{
    public List<string> Output { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Announcements { get; } = [];

    public CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public void WriteLine(string text) => Output.Add(text);

    public void AddWarning(string warning) => Warnings.Add(warning);

    public void Announce(string line) => Announcements.Add(line);

    public void Attach(string name, string content)
    {
    }

    /// <summary>How often <paramref name="text"/> occurs in every channel together, and in <paramref name="message"/> (a failure message).</summary>
    public int Count(string text, string? message = null)
        => Output.Concat(Warnings).Concat(Announcements).Append(message ?? string.Empty)
            .Sum(s => (s.Length - s.Replace(text, string.Empty, StringComparison.Ordinal).Length) / text.Length);
}
