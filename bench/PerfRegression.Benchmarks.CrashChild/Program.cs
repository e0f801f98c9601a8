// The process the reliability checks kill with SIGKILL at random moments. Two modes:
//   baselines <folder>  writes two known baselines (A, B) to <folder>/expected-a.json and expected-b.json, prints
//                       "ready", then rewrites <folder>/pr/Crash.Writer.json with A and B in turn, through the library's
//                       store (BaselineStore.Write, the gate's own path), until killed;
//   fixture <clusters> [seconds]
//                       starts a local PostgresServer in <clusters> through the public API, as a test host holding a
//                       fixture does, creates a database, prints "ready <endpoint> <database>", then waits to be killed;
//                       bounded: it disposes the server and exits by itself after [seconds] (default 60).
using System.Globalization;
using PerfRegression;
using PerfRegression.Checks;
using PerfRegression.PostgreSql;

if (args is ["baselines", var folder])
{
    var a = Baseline("A", routes: 150);
    var b = Baseline("B", routes: 200);
    Directory.CreateDirectory(folder);
    File.WriteAllText(Path.Combine(folder, "expected-a.json"), BaselineStore.Serialize(a));
    File.WriteAllText(Path.Combine(folder, "expected-b.json"), BaselineStore.Serialize(b));
    var store = new BaselineStore(folder, "pr");
    var path = store.PathOf(TestIdentity.Named(Name));
    BaselineStore.Write(path, a);
    Console.WriteLine("ready");
    for (long i = 1; ; i++)
    {
        BaselineStore.Write(path, i % 2 == 0 ? a : b);
    }
}

if (args is ["fixture", var clusters, .. var rest] && rest.Length <= 1)
{
    var seconds = rest.Length == 1 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 60;
    var options = new PostgresServerOptions
    {
        // Never an external server from the environment: the point is a local cluster this process owns.
        ConnectionStringVariable = "PERF_CRASH_CHILD_UNSET_" + Guid.NewGuid().ToString("N"),
        UseTestcontainers = false,
        ClustersDirectory = clusters,
    };
    await using var server = await PostgresServer.StartAsync(options);
    await using var database = await server.CreateDatabaseAsync();
    Console.WriteLine(FormattableString.Invariant($"ready {server.Endpoint} {database.Name}"));
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    return 0;
}

Console.Error.WriteLine("usage: PerfRegression.Benchmarks.CrashChild baselines <folder> | fixture <clusters directory> [seconds]");
return 2;

// A baseline as the gate writes one, large enough (tens of kB) that a write takes a while to be killed in.
static BaselineFile Baseline(string tag, int routes) => new()
{
    Test = Name,
    Profile = "pr",
    CalibrationMilliseconds = 12.5,
    Scenarios =
    [
        new ScenarioBaseline
        {
            Name = "crash-" + tag,
            Load = "closed: 1 user, 1 s",
            Trials = 5,
            Routes = Enumerable.Range(0, routes).Select(r => new RouteBaseline
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"GET /route/{r}"),
                Count = 1000 + r,
                P50 = 1 + r,
                P95 = 2 + r,
                P99 = 3 + r,
                TrialCounts = [200, 200, 200, 200, 200 + r],
                TrialStatistics = new SortedDictionary<string, List<double>>(
                    GatePolicy.KnownStatistics.ToDictionary(s => s, s => Enumerable.Range(1, 5).Select(t => (double)(r + t)).ToList()),
                    StringComparer.Ordinal),
                Histogram = LatencyDistribution.Empty.Encode(),
            }).ToList(),
        },
    ],
};

internal static partial class Program
{
    private const string Name = "Crash.Writer";
}
