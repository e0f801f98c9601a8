#pragma warning disable CA1812 // docs/from-k6.md's examples: compiled here, never run (nested in an internal class, so xUnit does not see them).
using System.Net.Http.Json;
using System.Text.Json;
using PerfRegression;

namespace Perf.Api.Tests.Readme;

/// <summary>
/// Every C# example of docs/from-k6.md, between <c>begin-snippet</c> and <c>end-snippet</c> markers: each k6 construct
/// the seed stories use, written with this library. Compiled with the project; <see cref="ReadmeTests"/> fails when
/// the document's copy differs.
/// </summary>
internal static class FromK6Snippets
{
    public sealed class ApiFixture
    {
        public ILoadTarget Target { get; } = LoadTarget.External(new Uri("http://127.0.0.1:5000/"));
    }

    public sealed class Stages(ApiFixture api) : IClassFixture<ApiFixture>
    {
        // begin-snippet: k6-stages
        // options.stages: [{ duration: '2m', target: 100 }, { duration: '5m', target: 100 }, { duration: '2m', target: 0 }]
        [Fact, LatencyBudget(p95: 500, ErrorRate = 0.01)]   // thresholds: http_req_duration p(95)<500, http_req_failed rate<0.01
        public Task Plans_under_ramping_users() =>
            Load.RunAsync(api.Target, "GET /plan?week=2026-11-23", LoadProfile.Stages(
                new Stage(TimeSpan.FromMinutes(2), 100), new Stage(TimeSpan.FromMinutes(5), 100), new Stage(TimeSpan.FromMinutes(2), 0)),
                cancellationToken: TestContext.Current.CancellationToken);
        // end-snippet
    }

    internal static class Executors
    {
        public static IReadOnlyList<LoadProfile> All()
        {
            // begin-snippet: k6-executors
            var constantVus = LoadProfile.Users(50, TimeSpan.FromMinutes(1));                        // constant-vus
            var perVuIterations = LoadProfile.Iterations(10, 20);                                   // per-vu-iterations
            var constantRate = LoadProfile.ConstantRate(100, TimeSpan.FromMinutes(1), maxConcurrency: 200); // constant-arrival-rate
            var rampingRate = LoadProfile.RampingRate(10, maxConcurrency: 300,                      // ramping-arrival-rate
                new RateStage(TimeSpan.FromMinutes(1), 100), new RateStage(TimeSpan.FromMinutes(2), 200));
            var flashCrowd = LoadProfile.FlashCrowd(500, TimeSpan.FromMinutes(10), maxConcurrency: 100); // half of 500 in the first 2 minutes
            // end-snippet
            return [constantVus, perVuIterations, constantRate, rampingRate, flashCrowd];
        }
    }

    internal static class SeedThreeShapes
    {
        public static (LoadProfile Normal, LoadProfile Peak, CapacityOptions Stress, LoadProfile Soak) All()
        {
            // begin-snippet: k6-load-shapes
            var normal = LoadProfile.Users(50, TimeSpan.FromMinutes(5));                              // expected traffic
            var peak = LoadProfile.Spike(50, 200, before: TimeSpan.FromMinutes(1),                     // a jump to 200 users and
                spike: TimeSpan.FromMinutes(2), after: TimeSpan.FromMinutes(2));                       // the recovery after it
            var stress = new CapacityOptions { StartRate = 20, Budgets = [Budget.P95(500), Budget.ErrorRate(0.01)] }; // Capacity.FindAsync: where it breaks
            var soak = PerfProfile.Choose(pr: normal, full: normal,                                    // with [LeakCheck]: hours,
                soak: LoadProfile.Users(50, TimeSpan.FromHours(2)));                                   // under PERF_PROFILE=soak only
            // end-snippet
            return (normal, peak, stress, soak);
        }
    }

    public sealed class Thresholds(ApiFixture api) : IClassFixture<ApiFixture>
    {
        // begin-snippet: k6-thresholds
        // thresholds: { 'http_req_duration{name:search}': ['p(95)<500', 'p(99)<1000'], payment_success: ['rate>0.995'] }
        [Fact]
        [LatencyBudget(p95: 500, Route = "search"), LatencyBudget(p99: 1000, Route = "search")]
        [MetricBudget("payment_success", MinRate = 0.995)]
        public Task Search_and_pay() =>
            Load.RunAsync(api.Target, Scenario.Create("checkout")
                .Get("search", "/recipes?search=curry&take=20")
                .Step("pay", async (user, ct) =>
                {
                    using var response = await user.Http.PostAsync(new Uri("/payments", UriKind.Relative), null, ct);
                    user.Metrics.Rate("payment_success", response.IsSuccessStatusCode);   // new Rate('payment_success')
                }), LoadProfile.Users(20, TimeSpan.FromSeconds(30)), cancellationToken: TestContext.Current.CancellationToken);
        // end-snippet
    }

    internal static class Scenarios
    {
        public static Scenario Journey()
        {
            // begin-snippet: k6-journey
            var emails = DataFeed.Circular(Enumerable.Range(0, 1000).Select(i => $"user{i}@example.com"));   // SharedArray
            var journey = Scenario.Create("journey")
                .Setup((user, ct) => user.Http.PostAsJsonAsync("/auth/login",                       // setup(), once per user
                    new { email = emails.Next(user), password = "secret" }, ct))
                .Get("plan", "/plan?week=2026-11-23",
                    Check.Status(200), Check.That("seven days", r => r.Body.Contains("\"days\"", StringComparison.Ordinal)))   // check(res, {...})
                .Get("shopping", "/shopping-list?week=2026-11-23", Check.Status(200))
                .WithThinkTime(ThinkTime.Between(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)));   // sleep(randomIntBetween(1, 3))
            // end-snippet
            return journey;
        }

        public static Scenario Room()
        {
            // begin-snippet: k6-ws
            // ws.connect(url, params, socket => { socket.on('message', ...); socket.send(...); })
            var room = Scenario.Create("room")
                .WebSocketConnect("connect", "/events/1/room", user => new Dictionary<string, string> { ["Authorization"] = $"Bearer {user.Get<string>("token")}" })
                .WebSocketRoundTrip("ping", _ => "{\"type\":\"ping\"}", message => message.Contains("pong", StringComparison.Ordinal), TimeSpan.FromSeconds(2))
                .WebSocketClose("close");
            // end-snippet
            return room;
        }

        public static async Task<string> TargetAsync()
        {
            // begin-snippet: k6-env
            // __ENV.BASE_URL: PERF_BASE_URL points the same test at a deployment; anything else is the environment's
            var target = LoadTarget.FromEnvironment(() => LoadTarget.External(new Uri("http://127.0.0.1:5000/")));
            var users = int.TryParse(Environment.GetEnvironmentVariable("USERS"), out var n) ? n : 20;
            // end-snippet
            var report = await Load.RunAsync(target, "GET /plan?week=2026-11-23", users);
            return JsonSerializer.Serialize(report.Overall.Latency.P95);
        }
    }
}
