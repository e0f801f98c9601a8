using System.Diagnostics;

namespace PerfRegression.Benchmarks.Support;

/// <summary>
/// The reference load generator: one task per client, each looping SendAsync and reading the content as the
/// runner does (HttpCompletionOption.ResponseContentRead), timing and recording nothing. Clients come from
/// the same <see cref="ILoadTarget"/> as the runner's, one per user, with the same timeout, so only the
/// runner's own logic differs.
/// </summary>
internal static class BareLoop
{
    /// <summary>
    /// Warms up for <paramref name="warmup"/>, then measures for <paramref name="duration"/>: requests per second,
    /// and this process's CPU time and allocations per request (with an in-process server, its share included).
    /// </summary>
    public static async Task<GeneratorFigures> RunAsync(ILoadTarget target, string path, int users, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var timeout = new LoadOptions().RequestTimeout;
        var clients = new HttpClient[users];
        try
        {
            for (var i = 0; i < clients.Length; i++)
            {
                clients[i] = target.CreateClient();
                clients[i].Timeout = timeout;
            }

            await LoopAsync(clients, path, warmup, cancellationToken);
            var cpu = Environment.CpuUsage.TotalTime;
            var allocated = GC.GetTotalAllocatedBytes();
            var (requests, elapsed) = await LoopAsync(clients, path, duration, cancellationToken);
            return new GeneratorFigures(
                requests / elapsed.TotalSeconds,
                (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / requests,
                (double)(GC.GetTotalAllocatedBytes() - allocated) / requests);
        }
        finally
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }
        }
    }

    private static async Task<(long Requests, TimeSpan Elapsed)> LoopAsync(HttpClient[] clients, string path, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource(duration);
        var start = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(clients.Select(c => Task.Run(() => WorkerAsync(c, path, stop.Token, cancellationToken), CancellationToken.None)));

        // As in the runner, requests in flight at the stop finish and count, and the time runs until the last one has.
        return (counts.Sum(), Stopwatch.GetElapsedTime(start));
    }

    private static async Task<long> WorkerAsync(HttpClient client, string path, CancellationToken stop, CancellationToken cancellationToken)
    {
        long requests = 0;
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);

            // The endpoints it is pointed at never fail; if one did, the throughputs would not be comparable.
            if ((int)response.StatusCode >= 400)
            {
                throw new InvalidOperationException($"The bare loop got HTTP {(int)response.StatusCode} from {path}; the comparison would be meaningless.");
            }

            requests++;
        }

        return requests;
    }
}
