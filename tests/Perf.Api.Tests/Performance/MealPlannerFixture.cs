using Perf.Api.Tests.Support;
using PerfRegression;

namespace Perf.Api.Tests.Performance;

/// <summary>
/// The app under load for one test class: MealPlanner.Api on an in-memory TestServer. With
/// <c>PERF_BASE_URL</c> set (e.g. <c>PERF_BASE_URL=https://staging.example.com/</c>) the same tests send
/// their load to that deployment instead, and no local host is started. (The pinned "today" of
/// <see cref="MealPlannerFactory"/> holds only in-process: a deployment plans around its own date.)
/// </summary>
public sealed class MealPlannerFixture : IAsyncDisposable
{
    private readonly MealPlannerFactory _factory = new();

    public MealPlannerFixture()
    {
        Target = LoadTarget.FromEnvironment(() =>
        {
            var target = LoadTarget.InMemory(_factory);

            // Workaround, remove once the library schedules in-memory requests fairly. LoadTarget.InMemory
            // turns PreserveExecutionContext on (for per-request SQL correlation, unused here); TestServer then
            // starts each request with Task.Factory.StartNew, i.e. on the calling pool thread's local queue.
            // Closed-model users without think time then monopolise the few pool threads: the other users'
            // requests wait seconds, the runner's deadline timers starve, a 5 s run lasts 7–58 s, and p95 reads
            // 0.1 ms while Little's law gives ~10 ms. With it off, requests are queued fairly (global queue).
            _factory.Server.PreserveExecutionContext = false;
            return target;
        });
    }

    /// <summary>Where the load goes.</summary>
    public ILoadTarget Target { get; }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
