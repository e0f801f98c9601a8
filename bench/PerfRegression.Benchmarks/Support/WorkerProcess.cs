using System.Diagnostics;
using System.Text;
using PerfRegression.Benchmarks.Suites.CrossProcess;

namespace PerfRegression.Benchmarks.Support;

/// <summary>What a worker process printed: its lines that start with the marker (marker removed), the rest, its errors and exit code.</summary>
internal sealed record WorkerOutput(IReadOnlyList<string> Marked, string Output, string Errors, int ExitCode);

/// <summary>This program started again in a worker's role, bounded in time and killed with the suite.</summary>
internal static class WorkerProcess
{
    public static async Task<WorkerOutput> RunAsync(IEnumerable<string> args, string marker, TimeSpan limit, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var (file, prefix) = Self.Command();
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        foreach (var arg in prefix.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("The worker process did not start.");
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        var errors = process.StandardError.ReadToEndAsync(bounded.Token);
        var marked = new List<string>();
        var output = new StringBuilder();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(bounded.Token) is { } line)
            {
                if (line.StartsWith(marker, StringComparison.Ordinal))
                {
                    marked.Add(line[marker.Length..]);
                }
                else
                {
                    output.AppendLine(line);
                }
            }

            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new WorkerOutput(marked, output.ToString(), await errors, process.ExitCode);
    }
}
