using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PerfRegression.Benchmarks.Support;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// The runner over real sockets against a separate no-op Kestrel process, next to wrk (a C load generator)
/// on the same endpoint with the same 64 connections: how close the .NET generator gets to a native one.
/// A bare HttpClient loop on the same target shows how much of the gap is .NET's HTTP client, not the runner.
/// </summary>
internal static partial class LoopbackSuite
{
    private const int Connections = 64;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(Figures figures, CancellationToken cancellationToken)
    {
        await using var server = await ServerProcess.StartNoOpServerAsync(cancellationToken);
        Console.WriteLine($"  no-op server listening on {server.BaseAddress}");
        var target = LoadTarget.External(server.BaseAddress);

        // The server's JIT keeps tiering up for seconds; warm it (discarded) so that whichever generator runs first
        // is not measured against a slower server.
        await BareLoop.RunAsync(target, "/", Connections, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), cancellationToken);

        var report = await Load.RunAsync(
            target,
            Scenario.Create("noop").Get("GET /", "/"),
            LoadProfile.Users(Connections, Duration),
            cancellationToken: cancellationToken);
        Console.WriteLine(report.ToSummary());
        if (report.Overall.Errors > 0)
        {
            throw new InvalidOperationException($"The runner saw {report.Overall.Errors} failed requests against a no-op server; its throughput means nothing.");
        }

        // Divided by the phase's wall time, as the bare loop's figure is (the report's own figure is in the table above).
        // The server runs in its own process, so CPU and allocations per request here are the generator's alone.
        var runner = GeneratorFigures.FromReport(report);
        var bare = await BareLoop.RunAsync(target, "/", Connections, TimeSpan.FromSeconds(1), Duration, cancellationToken);
        var runnerRps = runner.RequestsPerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  runner {runnerRps:#,0} req/s, {runner.CpuMicrosecondsPerRequest:0.00} µs CPU and {runner.AllocatedBytesPerRequest:#,0} B per request · bare HttpClient loop (same clients, no recording) {bare.RequestsPerSecond:#,0} req/s, {bare.CpuMicrosecondsPerRequest:0.00} µs CPU and {bare.AllocatedBytesPerRequest:#,0} B per request"));
        figures.Add("runner_rps", runnerRps, "0");
        figures.Add("loopback_bare_httpclient_rps", bare.RequestsPerSecond, "0");
        figures.Add("loopback_runner_vs_bare", runnerRps / bare.RequestsPerSecond, "0.000");
        figures.Add("loopback_runner_cpu_us_per_request", runner.CpuMicrosecondsPerRequest, "0.00");
        figures.Add("loopback_bare_cpu_us_per_request", bare.CpuMicrosecondsPerRequest, "0.00");

        if (FindOnPath("wrk") is not { } wrk)
        {
            Console.WriteLine("  wrk is not on PATH (Debian: apt-get install wrk): wrk_rps and runner_vs_wrk are not measured.");
            return;
        }

        var wrkRps = await RunWrkAsync(wrk, server.BaseAddress, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  runner {runnerRps:#,0} req/s · wrk {wrkRps:#,0} req/s · runner/wrk {runnerRps / wrkRps:0.000}"));
        figures.Add("wrk_rps", wrkRps, "0");
        figures.Add("runner_vs_wrk", runnerRps / wrkRps, "0.000");
    }

    private static async Task<double> RunWrkAsync(string wrk, Uri baseAddress, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(wrk)
        {
            ArgumentList = { "-t2", $"-c{Connections}", $"-d{Duration.TotalSeconds:0}s", baseAddress.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{wrk} could not be started.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Duration + TimeSpan.FromSeconds(20));
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var text = await output;
            Console.WriteLine(text.TrimEnd());
            if (process.ExitCode != 0 || RequestsPerSecond().Match(text) is not { Success: true } match)
            {
                throw new InvalidOperationException($"wrk exited with code {process.ExitCode} without a Requests/sec line: {await errors}");
            }

            if (text.Contains("Non-2xx", StringComparison.Ordinal) || text.Contains("Socket errors", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("wrk saw errors against the no-op server (see its output above); its throughput is not comparable.");
            }

            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}
