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
        Target = LoadTarget.FromEnvironment(() => LoadTarget.InMemory(_factory));
    }

    /// <summary>Where the load goes.</summary>
    public ILoadTarget Target { get; }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
