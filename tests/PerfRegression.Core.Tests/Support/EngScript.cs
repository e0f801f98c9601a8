using System.Diagnostics;
using PerfRegression.Tests.Architecture;

namespace PerfRegression.Tests.Support;

/// <summary>Runs one of the repository's eng/ scripts with bash, as a user would, and returns its exit code and output.</summary>
internal static class EngScript
{
    public static async Task<(int Exit, string Output)> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(LayerOrder.RepositoryRoot, "eng", script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
