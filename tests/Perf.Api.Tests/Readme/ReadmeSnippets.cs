#pragma warning disable CA1812 // The README's examples: compiled here, never run (their classes are nested in an internal one, so xUnit does not see them).
using System.Net.Http.Json;
using System.Text.Json;
using MealPlanner.Api.Data;
using MealPlanner.Benchmarks;
using PerfRegression;
using PerfRegression.BenchmarkDotNet;
using PerfRegression.Checks;
using PerfRegression.FluentAssertions;
using PerfRegression.PostgreSql;
using PerfRegression.Session;
using PerfRegression.Text;

namespace Perf.Api.Tests.Readme;

/// <summary>
/// Every C# example of README.md, between <c>begin-snippet</c> and <c>end-snippet</c> markers. This file compiles
/// with the project, so the examples do; <see cref="ReadmeTests"/> fails when the README's copy differs.
/// </summary>
internal static class ReadmeSnippets
{
    public sealed class OneLine(ApiFixture api) : IClassFixture<ApiFixture>
    {
        private readonly ILoadTarget target = api.Target;

        // begin-snippet: one-line
        [Fact, LatencyBudget(p95: 500, Route = "plan-calendar", ErrorRate = 0.01)]
        public Task Plan_calendar_under_100_users() =>
            Load.RunAsync(target, Scenario.Create("calendar").Get("plan-calendar", "/plan?week=2026-11-23"),
                          LoadProfile.Users(100, TimeSpan.FromSeconds(5)), cancellationToken: TestContext.Current.CancellationToken);
        // end-snippet
    }

    public sealed class ApiFixture
    {
        public ILoadTarget Target { get; } = LoadTarget.External(new Uri("http://127.0.0.1:5000/"));
    }

    // begin-snippet: writing-a-test
    public sealed class PlanTests(ApiFixture api) : IClassFixture<ApiFixture>
    {
        [Fact, LatencyBudget(p95: 500), LatencyBudget(p99: 1200, Route = "GET /plan?week=2026-11-23")]
        public Task Calendar() =>
            Load.RunAsync(api.Target, "GET /plan?week=2026-11-23", users: 50, duration: TimeSpan.FromSeconds(5));
    }
    // end-snippet

    // begin-snippet: resource-budget
    public sealed class CalendarCostTests(ApiFixture api) : IClassFixture<ApiFixture>
    {
        [Fact, ResourceBudget(CpuMilliseconds = 2, AllocatedKilobytes = 64, DatabaseOperations = 1)]
        public async Task Calendar_stays_one_query()
        {
            var report = await Load.RunAsync(api.Target, "GET /plan?week=2026-11-23", users: 10);
            report.Should().HaveAllocatedPerRequestBelow(64 * 1024).And.HaveDatabaseOperationsPerRequestBelow(1);
        }
    }
    // end-snippet

    // begin-snippet: memory-budget
    [Collection("memory")] // a collection defined with DisableParallelization = true: the heap is the process's
    public sealed class ShoppingListMemoryTests(ApiFixture api) : IClassFixture<ApiFixture>
    {
        [Fact, MemoryBudget(GrowthPer1000RequestsMegabytes = 100, HeapAfterRunMegabytes = 512)]
        public Task Shopping_list_keeps_no_memory_per_request() =>
            Load.RunAsync(api.Target, "GET /shopping-list?week=2026-11-23", users: 20);
    }
    // end-snippet

    public sealed class SoakTests(ApiFixture api) : IClassFixture<ApiFixture>
    {
        // begin-snippet: leak-check
        [Fact(Skip = "soak only", SkipUnless = nameof(PerfProfile.IsSoak), SkipType = typeof(PerfProfile))]
        [RegressionGate(Enabled = false), LeakCheck(HeapMegabytesPerMinute = 2)]
        public Task Browsing_for_half_an_hour_leaks_nothing() =>
            Load.RunAsync(api.Target, "GET /plan?week=2026-11-23", LoadProfile.Users(100, TimeSpan.FromMinutes(30)),
                  cancellationToken: TestContext.Current.CancellationToken);
        // end-snippet
    }

    public sealed class CapacitySearch(ApiFixture api) : IClassFixture<ApiFixture>
    {
        // begin-snippet: capacity
        [Fact, CapacityBudget(200)]                     // at least 200/s, and not 20% below the capacity baseline
        [LatencyBudget(p95: 500, ErrorRate = 0)]        // for the run at 80% of it
        public async Task Calendar_holds_80_percent_of_its_capacity_without_an_error()
        {
            var found = await Capacity.FindAsync(api.Target, Scenario.Create("calendar").Get("plan", "/plan?week=2026-11-23"),
                new CapacityOptions { Budgets = [Budget.P95(500), Budget.ErrorRate(0.01)], StartRate = 20 },
                TestContext.Current.CancellationToken);
            await Load.RunAsync(api.Target, "GET /plan?week=2026-11-23",
                LoadProfile.ConstantRate(0.8 * found.WithinBudget!.Value, TimeSpan.FromSeconds(30), maxConcurrency: 200),
                cancellationToken: TestContext.Current.CancellationToken);
        }
        // end-snippet
    }

    public sealed class CustomMetricBudgets(ApiFixture api) : IClassFixture<ApiFixture>
    {
        // begin-snippet: metric-budget
        [Fact, MetricBudget("plan_complete", MinRate = 0.999), MetricBudget("plan_days", P95 = 7, Max = 7)]
        public Task Plans_stay_complete_under_load() =>
            Load.RunAsync(api.Target, Scenario.Create("plans").Step("plan", async (user, ct) =>
            {
                var days = await user.Http.GetFromJsonAsync<JsonElement>("/plan?week=2026-11-23", ct);
                user.Metrics.Rate("plan_complete", days.GetArrayLength() == 7);    // k6: rate > 0.999
                user.Metrics.Trend("plan_days", days.GetArrayLength());            // a trend's values are any number
            }), LoadProfile.Users(20, TimeSpan.FromSeconds(10)), cancellationToken: TestContext.Current.CancellationToken);
        // end-snippet
    }

    public sealed class MicroBenchmarks
    {
        // begin-snippet: micro-benchmark
        [Fact, MicroBenchmarkBudget(MeanMicroseconds = 50, AllocatedBytes = 16 * 1024)]
        public Task Building_a_week_shopping_list_stays_under_50_microseconds() =>
            MicroBenchmark.RunAsync<ShoppingListBenchmarks>();   // a plain BenchmarkDotNet class: [GlobalSetup], [Benchmark]
        // end-snippet
    }

    public sealed class MixedTests(ApiFixture api) : IClassFixture<ApiFixture>
    {
        private static readonly Scenario Search = Scenario.Create("search").Get("search", "/recipes?q=soup");
        private static readonly Scenario Planning = Scenario.Create("planning").Post("regenerate", "/plan/regenerate-week");

        // The library honours the test's cancellation by itself; the README's example leaves the token out.
#pragma warning disable xUnit1051
        // begin-snippet: mixed-workload
        [Fact]
        [LatencyBudget(p95: 300, Tag = "scenario:search")]
        [LatencyBudget(p95: 3000, Tag = "scenario:planning", AbortOnFail = true)]
        public Task Search_while_plans_are_regenerated() => Load.RunMixAsync(api.Target,
        [
            Search.Under(LoadProfile.Users(50, TimeSpan.FromSeconds(30))),
            Planning.Under(LoadProfile.ConstantRate(5, TimeSpan.FromSeconds(20), maxConcurrency: 20), startAfter: TimeSpan.FromSeconds(5)),
        ]);
        // end-snippet
#pragma warning restore xUnit1051
    }

    internal static class Budgets
    {
        public static async Task InCodeAsync(ILoadTarget target)
        {
            var report = await Load.RunAsync(target, "GET /plan?week=2026-11-23", users: 10);

            // begin-snippet: budgets-in-code
            report.EnsureWithin(Budget.P95(500, "GET /plan?week=2026-11-23"), Budget.ErrorRate(0.01));
            report.Should().HaveP95Below(500).And.HaveErrorRateBelow(0.01);
            // end-snippet
        }
    }

    internal static class Scenarios
    {
        public static Scenario Journey()
        {
            // begin-snippet: scenario
            var weeks = DataFeed.Circular(["2026-11-23", "2026-11-30", "2026-12-07"]);
            var journey = Scenario.Create("journey")
                .Setup((user, ct) => LogInAsync(user.Http, user.Id, ct))           // once per user, not measured
                .Get("recipes", "/recipes?take=20", Check.Status(200))
                .Get("plan-calendar", u => $"/plan?week={weeks.Next(u)}", Check.BodyContains("days"))
                .Step("custom", (user, ct) => DoSomethingAsync(user, ct))         // any code, timed like a request
                .WithThinkTime(ThinkTime.Between(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150)));
            // end-snippet
            return journey;
        }

        public static Scenario Room()
        {
            // begin-snippet: websocket
            var room = Scenario.Create("room")
                .Setup((user, ct) => LogInAsync(user.Http, user.Id, ct))                        // the cookie goes with the upgrade
                .WebSocketConnect("connect", "/events/1/room")
                .WebSocketReceive("rsvp-count", m => m.Contains("\"rsvps\"", StringComparison.Ordinal))
                .WebSocketRoundTrip("ping", _ => "{\"type\":\"ping\"}", m => m.Contains("pong", StringComparison.Ordinal))
                .WebSocketClose("close");
            // end-snippet
            return room;
        }

        public static Scenario Checkout()
        {
            // begin-snippet: tags-and-groups
            var checkout = Scenario.Create("checkout")
                .WithTag("team", "web")                                             // on every step
                .Get("recipes", "/recipes?take=20")
                .Group("buy", g => g
                    .Get("shopping-list", "/shopping?week=2026-11-23").Tagged("kind", "read")
                    .Post("plan", "/plan/regenerate-week").Tagged("kind", "write"))
                .Batch("dashboard", [_ => new(HttpMethod.Get, "/plan?week=2026-11-23"), _ => new(HttpMethod.Get, "/favourites")], Check.Status(200));
            // end-snippet
            return checkout;
        }

        private static Task LogInAsync(HttpClient http, int user, CancellationToken ct)
            => http.PostAsJsonAsync("/auth/login", new { email = $"user{user}@example.com", password = "secret" }, ct);

        private static Task DoSomethingAsync(VirtualUser user, CancellationToken ct)
        {
            user.Metrics.Trend("render_ms", 12.5);
            return Task.Delay(1, ct);
        }
    }

    // begin-snippet: database-fixture
    public sealed class SampleDatabase : PostgresFixture        // one server for the test assembly
    {
        protected override Task SeedAsync(string connectionString, CancellationToken ct)
            => MealPlannerDatabase.SeedAsync(connectionString, ct);   // once, into a template
    }
    // end-snippet

    internal static class Database
    {
        public static async Task<ILoadTarget> AppOnACopyAsync(SampleDatabase fixture, string key, CancellationToken ct)
        {
            // begin-snippet: database-copy
            await using var database = await fixture.CreateDatabaseAsync(ct);             // CREATE DATABASE … TEMPLATE, ~0.2 s
            var app = new PerfWebApplicationFactory<Program>()
                .WithConnectionString("MealPlanner", database.ConnectionString)
                .WithSetting("Auth:SigningKey", key);                                      // .WithKestrel() for real sockets
            var target = app.CreateTarget();
            // end-snippet
            return target;
        }
    }

    public sealed class QueryBudgets(ApiFixture api) : IClassFixture<ApiFixture>
    {
        private readonly ILoadTarget target = api.Target;

        private static readonly Scenario Scenario = Scenario.Create("shopping").Get("shopping-list", "/shopping?week=2026-11-23");

        private static readonly LoadProfile Profile = LoadProfile.Users(20, TimeSpan.FromSeconds(5));

        // begin-snippet: query-budget
        [Fact, LatencyBudget(p95: 500, Route = "shopping-list")]
        [QueryBudget(maxPerRequest: 5, StatementP95 = 50, AllowedSequentialScans = ["recipes: 1,000 rows, searched by trigram"])]
        public Task Shopping_list() => Load.RunAsync(target, Scenario, Profile, cancellationToken: TestContext.Current.CancellationToken);
        // end-snippet

        internal async Task InCodeAsync(CancellationToken ct)
        {
            // begin-snippet: query-budget-in-code
            using var capture = QueryCapture.Start();
            await Load.RunAsync(target, Scenario, Profile, cancellationToken: ct);
            (await capture.AnalyzeAsync(new QueryBudget { MaxPerRequest = 5 }, ct)).EnsureWithinBudget();
            // end-snippet
        }
    }

    // begin-snippet: custom-check
    /// <summary>Fails the test when fewer than <paramref name="minimum"/> of the responses were cache hits.</summary>
    public sealed class CacheHitRateCheck(double minimum) : IPerfCheck
    {
        public ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken)
        {
            if (context.NoLoadProblem() is { } nothing)
            {
                return ValueTask.FromResult(new CheckResult { Title = "Cache", Severity = CheckSeverity.Fail, Problems = [nothing] });
            }

            var hits = context.Reports.SelectMany(r => r.Metrics).Where(m => m.Name == "cache_hit").ToArray();
            var rate = hits.Sum(m => m.Trues) / (double)Math.Max(1, hits.Sum(m => m.Total));
            var held = hits.Length > 0 && rate >= minimum;
            return ValueTask.FromResult(new CheckResult
            {
                Title = "Cache",
                Severity = held ? CheckSeverity.Pass : CheckSeverity.Fail,
                Headline = held ? "" : $"cache hit rate {Formatting.Percent(rate)}, below {Formatting.Percent(minimum)}",
                Problems = hits.Length == 0 ? ["No step recorded the rate 'cache_hit'; record it with user.Metrics.Rate(\"cache_hit\", hit)."] : [],
                Items = [new CheckItem { Severity = held ? CheckSeverity.Pass : CheckSeverity.Fail, Subject = "(all routes)", Check = "cache hit rate",
                                         Expected = ">= " + Formatting.Percent(minimum), Measured = Formatting.Percent(rate), Verdict = held ? "ok" : "too low" }],
                Body = [new TextBlock([$"{Formatting.Percent(rate)} of {Formatting.Count(hits.Sum(m => m.Total))} responses were cache hits."])],
                WhatToDo = held ? null : "Find what evicts the cache, or lower the minimum if the workload changed.",
            });
        }
    }

    /// <summary><c>[CacheHitRate(0.9)]</c>: the check on a test, like the library's own budget attributes.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
    public sealed class CacheHitRateAttribute(double minimum) : PerfCheckAttribute
    {
        protected override IReadOnlyList<string> Validate()
            => minimum is > 0 and <= 1 ? [] : [$"The minimum cache hit rate is {Formatting.Number(minimum)}; give a ratio above 0 and at most 1, e.g. 0.9."];

        protected override void Configure(PerfSession session) => session.AddCheck(new CacheHitRateCheck(minimum));
    }
    // end-snippet
}
