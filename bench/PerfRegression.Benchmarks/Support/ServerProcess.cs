using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace PerfRegression.Benchmarks.Support;

/// <summary>
/// The no-op Kestrel app (bench/PerfRegression.Benchmarks.NoOpServer) as a separate process on a free
/// 127.0.0.1 port, so it does not share this process's thread pool and GC. Disposing kills it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ServerProcess> StartNoOpServerAsync(CancellationToken cancellationToken)
    {
        var dll = Assembly.GetExecutingAssembly().GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "NoOpServerPath")?.Value;
        if (dll is null || !File.Exists(dll))
        {
            throw new FileNotFoundException($"The no-op server was not found at '{dll}'. It is built with this project; run `dotnet build -c Release bench/PerfRegression.Benchmarks` and try again.");
        }

        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", baseAddress.GetLeftPart(UriPartial.Authority) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("`dotnet` could not be started.");
        var server = new ServerProcess(process, baseAddress);
        try
        {
            // Drained so a chatty server can never block on a full pipe; logging is off, so little comes.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    Console.Error.WriteLine($"  [server] {e.Data}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await server.WaitUntilAnsweringAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(StopTimeout);
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The no-op server exited with code {_process.ExitCode} before answering on {BaseAddress}.");
            }

            try
            {
                using var response = await probe.GetAsync("/", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < StartTimeout)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested && clock.Elapsed < StartTimeout)
            {
                // The probe timed out while the server was starting.
            }

            if (clock.Elapsed >= StartTimeout)
            {
                throw new TimeoutException($"The no-op server did not answer on {BaseAddress} within {StartTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
