using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.BadInputs;

/// <summary>Bad values for a load run: profiles, options, scenarios, data feeds, targets and the one-line request.</summary>
internal sealed class LoadInputs : IBadInputSource
{
    private const string Area = "load";

    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);
    private static readonly Scenario Valid = Scenario.Create("s").Get("a", "/a");
    private static readonly LoadProfile OneUser = LoadProfile.Users(1, TimeSpan.FromSeconds(1));

    /// <summary>How <see cref="TimeSpan.MaxValue"/> reads in a message.</summary>
    private const string Forever = "922337203685.478 s";

    private static ILoadTarget Nowhere => LoadTarget.FromClientFactory("nowhere", () => new HttpClient());

    public IEnumerable<BadInput> Inputs => Profiles.Concat(Options).Concat(Scenarios).Concat(Labels).Concat(Mixes).Concat(Targets).Concat(RequestLines);

    private static IEnumerable<BadInput> Profiles =>
    [
        Run("zero users", () => LoadProfile.Users(0, TenSeconds), "Users is 0; at least 1 virtual user is needed. Pass the number of concurrent users, e.g. LoadProfile.Users(10, TimeSpan.FromSeconds(10))."),
        Run("negative users", () => LoadProfile.Users(-5, TenSeconds), "Users is -5; at least 1 virtual user is needed."),
        Run("20,000 users", () => LoadProfile.Users(20_000, TenSeconds), "Users is 20000; at most 10000 are allowed in one process (each needs its own client and histograms). Spread more load over several machines, or use the open model."),
        Run("int.MaxValue users", () => LoadProfile.Users(int.MaxValue, TenSeconds), "Users is 2147483647; at most 10000 are allowed in one process"),
        Run("zero duration", () => LoadProfile.Users(10, TimeSpan.Zero), "Duration is 0 ms; it must be greater than zero. Pass how long to measure, e.g. TimeSpan.FromSeconds(10)."),
        Run("negative duration", () => LoadProfile.Users(10, TimeSpan.FromSeconds(-1)), "Duration is -1 s; it must be greater than zero."),
        Run("TimeSpan.MaxValue duration", () => LoadProfile.Users(10, TimeSpan.MaxValue), TooLong("Duration", Forever)),
        Run("100-day duration", () => LoadProfile.Users(10, TimeSpan.FromDays(100)), TooLong("Duration", "144000 min")),
        Run("ramp-up longer than the run", () => LoadProfile.Users(10, TenSeconds, rampUp: TimeSpan.FromSeconds(30)), "Ramp-up is 30 s, longer than the run's duration of 10 s. The ramp-up counts inside the duration: shorten it or lengthen the run."),
        Run("negative ramp-up", () => LoadProfile.Users(10, TenSeconds, rampUp: TimeSpan.FromSeconds(-1)), "Ramp-up is -1 s; it must be zero or more."),
        Run("zero iterations per user", () => LoadProfile.Iterations(2, 0), "Iterations per user is 0; each user must run at least 1 iteration."),
        Run("negative iterations per user", () => LoadProfile.Iterations(2, -3), "Iterations per user is -3; each user must run at least 1 iteration."),
        Run("iterations with zero users", () => LoadProfile.Iterations(0, 10), "Users is 0; at least 1 virtual user is needed."),
        Run("iterations with int.MaxValue users", () => LoadProfile.Iterations(int.MaxValue, 1), "Users is 2147483647; at most 10000 are allowed in one process"),
        Run("no stages", () => LoadProfile.Stages(), "The stage list is empty. Give at least one stage, e.g. new Stage(TimeSpan.FromSeconds(30), 100)."),
        Run("null stages", () => LoadProfile.Stages(null!), "The stage list is empty."),
        Run("stage of zero duration", () => LoadProfile.Stages(new Stage(TimeSpan.Zero, 10)), "Stage 1 lasts 0 ms; a stage must last longer than zero. Give it a positive duration or remove it."),
        Run("stage with negative target", () => LoadProfile.Stages(new Stage(TenSeconds, 5), new Stage(TenSeconds, -1)), "Stage 2 targets -1 users; the target must be zero or more."),
        Run("every stage targets zero", () => LoadProfile.Stages(new Stage(TenSeconds, 0)), "Every stage targets 0 users, so no load would run. Give at least one stage a positive target."),
        Run("stage lasting TimeSpan.MaxValue", () => LoadProfile.Stages(new Stage(TimeSpan.MaxValue, 10)), TooLong("Stage 1's duration", Forever)),
        Run("stages adding up to 40 days", () => LoadProfile.Stages(Enumerable.Repeat(new Stage(TimeSpan.FromHours(24), 10), 40).ToArray()), TooLong("The stages' total duration", "57600 min")),
        Run("stage targeting a million users", () => LoadProfile.Stages(new Stage(TenSeconds, 1_000_000)), "Stage 1's target is 1000000; at most 10000 are allowed in one process"),
        Run("NaN arrival rate", () => LoadProfile.ConstantRate(double.NaN, TenSeconds, 10), "The arrival rate is NaN/s; it must be a finite number greater than zero, e.g. 50 iterations per second."),
        Run("zero arrival rate", () => LoadProfile.ConstantRate(0, TenSeconds, 10), "The arrival rate is 0/s; it must be a finite number greater than zero"),
        Run("negative arrival rate", () => LoadProfile.ConstantRate(-5, TenSeconds, 10), "The arrival rate is -5/s; it must be a finite number greater than zero"),
        Run("infinite arrival rate", () => LoadProfile.ConstantRate(double.PositiveInfinity, TenSeconds, 10), "The arrival rate is Infinity/s; it must be a finite number greater than zero"),
        Run("a billion arrivals per second", () => LoadProfile.ConstantRate(1e9, TenSeconds, 10), "The arrival rate reaches 1000000000/s; at most 1000000/s can be started by one process. Lower the rate, or spread the load over several machines."),
        Run("open model of zero duration", () => LoadProfile.ConstantRate(10, TimeSpan.Zero, 10), "The duration is 0 ms; it must be greater than zero."),
        Run("open model lasting TimeSpan.MaxValue", () => LoadProfile.ConstantRate(10, TimeSpan.MaxValue, 10), TooLong("The duration", Forever)),
        Run("zero max concurrency", () => LoadProfile.ConstantRate(10, TenSeconds, 0), "Max concurrency is 0; at least 1 iteration must be allowed in flight. Set it above the rate × expected latency, e.g. 64."),
        Run("int.MaxValue max concurrency", () => LoadProfile.ConstantRate(10, TenSeconds, int.MaxValue), "Max concurrency is 2147483647; at most 10000 are allowed in one process"),
        Run("negative start rate", () => LoadProfile.RampingRate(-1, 10, new RateStage(TenSeconds, 5)), "The start rate is -1/s; it must be a finite number, zero or more."),
        Run("no rate stages", () => LoadProfile.RampingRate(0, 10), "The rate stage list is empty. Give at least one stage, e.g. new RateStage(TimeSpan.FromSeconds(30), 100)."),
        Run("null rate stages", () => LoadProfile.RampingRate(0, 10, null!), "The rate stage list is empty."),
        Run("every rate stage targets zero", () => LoadProfile.RampingRate(0, 10, new RateStage(TenSeconds, 0)), "Every rate stage targets 0/s and the start rate is 0/s, so no iteration would start. Give a stage a positive target."),
        Run("NaN rate stage target", () => LoadProfile.RampingRate(1, 10, new RateStage(TenSeconds, double.NaN)), "Rate stage 1 targets NaN/s; the target must be a finite number, zero or more."),
        Run("rate stage of negative duration", () => LoadProfile.RampingRate(1, 10, new RateStage(TimeSpan.FromSeconds(-2), 5)), "Rate stage 1 is -2 s; it must be greater than zero."),
        Run("rate stages adding up to 30 days", () => LoadProfile.RampingRate(1, 10, Enumerable.Repeat(new RateStage(TimeSpan.FromHours(24), 5), 30).ToArray()), TooLong("The rate stages' total duration", "43200 min")),
        Run("null profile", () => (LoadProfile?)null, "The load profile is null. Create one with LoadProfile.Users(10, TimeSpan.FromSeconds(10)) or LoadProfile.ConstantRate(...)."),
    ];

    private static IEnumerable<BadInput> Options =>
    [
        Option("negative Warmup", new() { Warmup = TimeSpan.FromSeconds(-1) }, "Warmup is -1 s; it must be zero (no warm-up) or more."),
        Option("MaxWarmup shorter than Warmup", new() { Warmup = TimeSpan.FromSeconds(2), MaxWarmup = TimeSpan.FromSeconds(1) }, "MaxWarmup is 1 s, shorter than one warm-up slice (2 s). Make it at least as long as Warmup."),
        Option("Warmup of TimeSpan.MaxValue", new() { Warmup = TimeSpan.MaxValue, MaxWarmup = TimeSpan.MaxValue }, TooLong("Warmup", Forever), TooLong("MaxWarmup", Forever)),
        Option("zero RequestTimeout", new() { RequestTimeout = TimeSpan.Zero }, "RequestTimeout is 0 ms; it must be greater than zero, e.g. TimeSpan.FromSeconds(30)."),
        Option("infinite RequestTimeout", new() { RequestTimeout = Timeout.InfiniteTimeSpan }, "RequestTimeout is -1 ms; it must be greater than zero, e.g. TimeSpan.FromSeconds(30)."),
        Option("RequestTimeout of TimeSpan.MaxValue", new() { RequestTimeout = TimeSpan.MaxValue }, TooLong("RequestTimeout", Forever)),
        Option("negative GracefulStop", new() { GracefulStop = TimeSpan.FromMilliseconds(-5) }, "GracefulStop is -5 ms; it must be zero or more."),
        Option("GracefulStop of TimeSpan.MaxValue", new() { GracefulStop = TimeSpan.MaxValue }, TooLong("GracefulStop", Forever)),
        Option("zero MaxDuration", new() { MaxDuration = TimeSpan.Zero }, "MaxDuration is 0 ms; it must be greater than zero."),
        Option("MaxDuration of TimeSpan.MaxValue", new() { MaxDuration = TimeSpan.MaxValue }, TooLong("MaxDuration", Forever)),
        Option("zero histogram digits", new() { HistogramSignificantDigits = 0 }, "HistogramSignificantDigits is 0; it must be between 1 and 4 (2 keeps values within 1%)."),
        Option("six histogram digits", new() { HistogramSignificantDigits = 6 }, "HistogramSignificantDigits is 6; it must be between 1 and 4 (2 keeps values within 1%)."),
        Option("1 ms sample interval", new() { RuntimeSampleInterval = TimeSpan.FromMilliseconds(1) }, "RuntimeSampleInterval is 1 ms; it must be at least 10 ms, or sampling itself disturbs the run."),
        Option("sample interval of TimeSpan.MaxValue", new() { RuntimeSampleInterval = TimeSpan.MaxValue }, TooLong("RuntimeSampleInterval", Forever)),
        Option("10 ms timeline interval", new() { TimelineInterval = TimeSpan.FromMilliseconds(10) }, "TimelineInterval is 10 ms; it must be at least 100 ms (a shorter interval holds too few requests for its percentiles to mean much)."),
        Option("timeline interval of TimeSpan.MaxValue", new() { TimelineInterval = TimeSpan.MaxValue }, TooLong("TimelineInterval", Forever)),
        Option("negative progress interval", new() { ProgressInterval = TimeSpan.FromSeconds(-1) }, "ProgressInterval is -1 s; it must be zero (no progress lines) or at least TimelineInterval (1 s), the interval progress is read from."),
        Option("progress more often than the timeline", new() { ProgressInterval = TimeSpan.FromMilliseconds(500) }, "ProgressInterval is 500 ms; it must be zero (no progress lines) or at least TimelineInterval (1 s), the interval progress is read from."),
        Option("zero setup parallelism", new() { SetupParallelism = 0 }, "SetupParallelism is 0; at least 1 user must be able to run its setup."),
        Option("null TimeProvider", new() { TimeProvider = null! }, "TimeProvider is null; leave it at TimeProvider.System unless a test fakes time."),
        Option("negative LateStartTolerance", new() { LateStartTolerance = TimeSpan.FromMilliseconds(-1) }, "LateStartTolerance is -1 ms; it must be zero or more."),
        Option("LateStartTolerance of TimeSpan.MaxValue", new() { LateStartTolerance = TimeSpan.MaxValue }, TooLong("LateStartTolerance", Forever)),
        Option("TimeSpan.MinValue everywhere", new() { Warmup = TimeSpan.MinValue, GracefulStop = TimeSpan.MinValue, RequestTimeout = TimeSpan.MinValue },
            "The load test 's' has 3 problems:", "Warmup is -" + Forever + "; it must be zero (no warm-up) or more.", "RequestTimeout is -" + Forever + "; it must be greater than zero", "GracefulStop is -" + Forever + "; it must be zero or more."),
    ];

    private static IEnumerable<BadInput> Labels =>
    [
        Run("tag with an empty value", () => Scenario.Create("j").Get("a", "/a").Tagged("kind", ""), () => OneUser, "Scenario 'j' has the tag 'kind:'; a tag needs a key without ':' and a value, both non-empty, e.g. Tagged(\"kind\", \"payment\")."),
        Run("tag key with a colon", () => Scenario.Create("j").Get("a", "/a").WithTag("a:b", "c"), () => OneUser, "Scenario 'j' has the tag 'a:b:c'; a tag needs a key without ':'"),
        Run("tag before any step", () => Scenario.Create("j").Tagged("kind", "read").Get("a", "/a"), () => OneUser, "Scenario 'j' tags a step with kind:read before it has any"),
        Run("the reserved scenario tag", () => Scenario.Create("j").WithTag("scenario", "x").Get("a", "/a"), () => OneUser, "Scenario 'j' sets the tag 'scenario', which every route carries already"),
        Run("group without a name", () => Scenario.Create("j").Group(" ", g => g.Get("a", "/a")), () => OneUser, "Scenario 'j' has a group named ' '; a group needs a name without '::'"),
        Run("group with a null builder", () => Scenario.Create("j").Get("a", "/a").Group("g", null!), () => OneUser, "Group 'g' of scenario 'j' has no builder (null)."),
        Run("group builder returning null", () => Scenario.Create("j").Get("a", "/a").Group("g", _ => null!), () => OneUser, "The builder of group 'g' in scenario 'j' returned null."),
        Run("group without steps", () => Scenario.Create("j").Get("a", "/a").Group("g", g => g), () => OneUser, "Group 'g' of scenario 'j' has no steps."),
        Run("think time set inside a group", () => Scenario.Create("j").Group("g", g => g.Get("a", "/a").WithThinkTime(ThinkTime.Fixed(TimeSpan.FromSeconds(1)))), () => OneUser, "The builder of group 'g' in scenario 'j' sets a setup, think time or scenario-wide tags"),
        Run("batch without requests", () => Scenario.Create("j").Batch("b", []), () => OneUser, "Step 'b' of scenario 'j' is a batch without requests."),
        Run("null batch", () => Scenario.Create("j").Batch("b", null!), () => OneUser, "Step 'b' of scenario 'j' is a batch without requests."),
        Run("batch with a null check", () => Scenario.Create("j").Batch("b", [_ => new(HttpMethod.Get, "/a")], (Check)null!), () => OneUser, "Step 'b' of scenario 'j' has a null check. Remove it"),
        Run("shared iterations: zero", () => LoadProfile.SharedIterations(2, 0), "The shared iterations are 0; the users must share at least 1 iteration"),
        Run("shared iterations: fewer than users", () => LoadProfile.SharedIterations(10, 4), "10 users share 4 iterations, so 6 of them would never run one."),
        Run("shared iterations: zero users", () => LoadProfile.SharedIterations(0, 10), "Users is 0; at least 1 virtual user is needed."),
    ];

    private static IEnumerable<BadInput> Mixes =>
    [
        Mix("mix of no scenarios", () => [], "The mix has no scenarios."),
        Mix("null mix", () => null!, "The mix has no scenarios."),
        Mix("null part of a mix", () => [Valid.Under(OneUser), null!], "Part 2 of the mix is null."),
        Mix("two parts of one name", () => [Valid.Under(OneUser), Valid.Under(OneUser)], "The mix runs 2 scenarios named 's'"),
        Mix("negative start offset", () => [Valid.Under(OneUser, startAfter: TimeSpan.FromSeconds(-2))], "Scenario 's' starts -2 s after the mix; a start offset must be zero or more."),
        Mix("a part with a bad profile", () => [Valid.Under(LoadProfile.Users(0, TenSeconds))], "Users is 0; at least 1 virtual user is needed."),
    ];

    private static IEnumerable<BadInput> Scenarios =>
    [
        Run("scenario without steps", () => Scenario.Create("empty"), () => OneUser, "Scenario 'empty' has no steps, so it would record no load. Add one with .Get(\"name\", \"/path\") or .Step(\"name\", ...)."),
        Run("duplicate step names", () => Scenario.Create("j").Get("a", "/a").Get("a", "/b"), () => OneUser, "Scenario 'j' has 2 steps named 'a'; step names are route names in the report and must be unique. Rename one."),
        Run("step without a name", () => Scenario.Create("j").Get(" ", "/a"), () => OneUser, "Scenario 'j' has a step without a name. Name every step; the name is its route in the report and in budgets."),
        Run("scenario without a name", () => Scenario.Create(null!).Get("a", "/a"), () => OneUser, "The scenario has no name. Name it after what users do, e.g. Scenario.Create(\"plan-calendar\")."),
        Run("null scenario", () => (Scenario?)null, () => OneUser, "The scenario is null. Create one with Scenario.Create(\"name\").Get(\"step\", \"/path\")."),
        Run("GET with a null path", () => Scenario.Create("j").Get("a", (string)null!), () => OneUser, "Step 'a' of scenario 'j' has a null path, so it would request the target's base address itself (GET /) instead of the route you meant. Give the route's path, e.g. \"/plan\"."),
        Run("GET with an empty path", () => Scenario.Create("j").Get("a", ""), () => OneUser, "Step 'a' of scenario 'j' has an empty path, so it would request the target's base address itself (GET /)"),
        Run("POST with a null path", () => Scenario.Create("j").Post("a", (string)null!), () => OneUser, "Step 'a' of scenario 'j' has a null path"),
        Run("GET with a null path function", () => Scenario.Create("j").Get("a", (Func<VirtualUser, string>)null!), () => OneUser, "Step 'a' of scenario 'j' has nothing to run: the function given for it is null. Pass the request builder or the code to run."),
        Run("POST with a null path function", () => Scenario.Create("j").Post("a", (Func<VirtualUser, string>)null!), () => OneUser, "Step 'a' of scenario 'j' has nothing to run"),
        Run("Send with a null request builder", () => Scenario.Create("j").Send("a", null!), () => OneUser, "Step 'a' of scenario 'j' has nothing to run"),
        Run("code step with a null action", () => Scenario.Create("j").Step("a", null!), () => OneUser, "Step 'a' of scenario 'j' has nothing to run"),
        Run("a null check", () => Scenario.Create("j").Get("a", "/a", Check.Status(200), null!), () => OneUser, "Step 'a' of scenario 'j' has a null check (check 2). Remove it, or create it with Check.Status(200), Check.BodyContains(\"...\") or Check.That(\"name\", r => ...)."),
        Run("a check with a null predicate", () => Scenario.Create("j").Get("a", "/a", Check.That("has rows", null!)), () => OneUser, "Step 'a' of scenario 'j': check 'has rows' has a null predicate. Give the condition, e.g. Check.That(\"has rows\", r => r.Body.Length > 0)."),
        Run("a check without a name", () => Scenario.Create("j").Get("a", "/a", Check.That("", _ => true)), () => OneUser, "Step 'a' of scenario 'j': a check has no name."),
        Run("BodyContains of empty text", () => Scenario.Create("j").Get("a", "/a", Check.BodyContains("")), () => OneUser, "Step 'a' of scenario 'j': Check.BodyContains was given an empty text, which every body contains, so the check could never fail. Give the text the response must contain."),
        Run("URL with a file scheme", () => Scenario.Create("j").Get("a", "file:///etc/passwd"), () => OneUser, "Step 'a' of scenario 'j' has the URL 'file:///etc/passwd', whose scheme 'file' is not http or https. Give a path relative to the target, e.g. \"/plan\"."),
        Run("negative think time", () => Valid.WithThinkTime(ThinkTime.Fixed(TimeSpan.FromSeconds(-1))), () => OneUser, "Scenario 's' has a think time of -1 s; it must be zero or more."),
        Run("think-time range reversed", () => Valid.WithThinkTime(ThinkTime.Between(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1))), () => OneUser, "Scenario 's' has a think-time range from 2 s to 1 s; the maximum must not be below the minimum. Swap them."),
        Run("think time of TimeSpan.MaxValue", () => Valid.WithThinkTime(ThinkTime.Fixed(TimeSpan.MaxValue)), () => OneUser, TooLong("Scenario 's''s think time", Forever)),
        Run("think time of 60 days", () => Valid.WithThinkTime(ThinkTime.Between(TimeSpan.Zero, TimeSpan.FromDays(60))), () => OneUser, TooLong("Scenario 's''s think time", "86400 min")),
        BadInput.Sync(Area, "empty circular data feed", () => DataFeed.Circular(Array.Empty<string>()), "A data feed of String needs at least one item, but the sequence given was empty. Load the data before building the feed."),
        BadInput.Sync(Area, "empty random data feed", () => DataFeed.Random(Array.Empty<int>()), "A data feed of Int32 needs at least one item, but the sequence given was empty."),
        BadInput.Sync(Area, "null data feed", () => DataFeed.Circular<string>(null!), "A data feed of String was given null instead of its items. Load the data first, e.g. DataFeed.Circular(await LoadWeeksAsync())."),
    ];

    private static IEnumerable<BadInput> Targets =>
    [
        new(Area, "absolute URL on an in-memory target", async () =>
            {
                await using var app = await TestApp.StartBasicAsync();
                await Load.RunAsync(app.Target, Scenario.Create("j").Get("a", "https://example.com/ok"), OneUser, new LoadOptions { Warmup = TimeSpan.Zero });
            },
            "Step 'a' of scenario 'j' requests the absolute URL 'https://example.com/ok', but the target is the in-memory TestServer, which answers every host from the app under test: the load would not go where the URL says.",
            "Give the path relative to the app, e.g. \"/ok\", or target that server with LoadTarget.External(new Uri(\"https://example.com/\"))."),
        new(Area, "absolute URL to another server than the external target", () => Load.RunAsync(LoadTarget.External(new Uri("http://127.0.0.1:9/")), Scenario.Create("j").Get("a", "http://example.com/a"), OneUser),
            "Step 'a' of scenario 'j' requests the absolute URL 'http://example.com/a', outside the target (external http://127.0.0.1:9): the load would go to another server than the one the report names."),
        new(Area, "null target", () => Load.RunAsync(null!, Valid, OneUser), "The target is null. Create one with LoadTarget.InMemory(factory), LoadTarget.Kestrel(factory) or LoadTarget.External(uri)."),
        BadInput.Sync(Area, "external base URL that is null", () => LoadTarget.External(null!), "The base address is null. Give the server's URL, e.g. LoadTarget.External(new Uri(\"http://127.0.0.1:5000/\"))."),
        BadInput.Sync(Area, "external base URL that is relative", () => LoadTarget.External(new Uri("/api", UriKind.Relative)), "The base address '/api' is not an absolute http or https URL. Give one such as http://127.0.0.1:5000/."),
        BadInput.Sync(Area, "external base URL with an ftp scheme", () => LoadTarget.External(new Uri("ftp://example.com/")), "The base address 'ftp://example.com/' is not an absolute http or https URL."),
        BadInput.Sync(Area, "external base URL with a query", () => LoadTarget.External(new Uri("http://example.com/api?key=1")), "The base address 'http://example.com/api?key=1' has a query or fragment, which every request would lose. Give the server's URL only, e.g. http://example.com/api, and put the query into each step's path."),
        new(Area, "base URL variable that is not a URL", () => BadInputs.WithEnvironmentAsync(new Dictionary<string, string?> { ["PERF_BAD_INPUT_BASE_URL"] = "staging" }, () =>
            {
                LoadTarget.FromEnvironment(() => Nowhere, "PERF_BAD_INPUT_BASE_URL");
                return Task.CompletedTask;
            }),
            "The environment variable PERF_BAD_INPUT_BASE_URL is 'staging', which is not an absolute URL. Set it to the deployment's base URL, e.g. https://staging.example.com/, or unset it to test in-process."),
        new(Area, "base URL variable with a mailto scheme", () => BadInputs.WithEnvironmentAsync(new Dictionary<string, string?> { ["PERF_BAD_INPUT_BASE_URL"] = "mailto:ops@example.com" }, () =>
            {
                LoadTarget.FromEnvironment(() => Nowhere, "PERF_BAD_INPUT_BASE_URL");
                return Task.CompletedTask;
            }),
            "The base address 'mailto:ops@example.com' is not an absolute http or https URL."),
        BadInput.Sync(Area, "null fallback target", () => LoadTarget.FromEnvironment(null!), "The fallback target is null. Pass how to create the in-process target, e.g. LoadTarget.FromEnvironment(() => LoadTarget.InMemory(factory))."),
        BadInput.Sync(Area, "empty variable name", () => LoadTarget.FromEnvironment(() => Nowhere, ""), "The environment variable's name is empty. Leave it out for the default, PERF_BASE_URL."),
        BadInput.Sync(Area, "client factory without description or factory", () => LoadTarget.FromClientFactory("", null!),
            "LoadTarget.FromClientFactory has 2 problems:",
            "The description is empty. Say what the target is, e.g. \"staging behind the gateway\"; reports name it.",
            "The client factory is null. Pass a function that returns a new HttpClient per call, e.g. () => new HttpClient(handler) { BaseAddress = uri }."),
        BadInput.Sync(Area, "in-memory target of a null server", () => LoadTarget.InMemory((TestServer)null!), "The server is null, so there is no app to send load to. Pass the one that hosts your app, e.g. app.GetTestServer() after app.StartAsync()."),
        BadInput.Sync(Area, "in-memory target of a null factory", () => LoadTarget.InMemory((WebApplicationFactory<LoadInputs>)null!), "The factory is null, so there is no app to send load to. Pass the one that hosts your app, e.g. new WebApplicationFactory<Program>()."),
        BadInput.Sync(Area, "Kestrel target of a null factory", () => LoadTarget.Kestrel((WebApplicationFactory<LoadInputs>)null!), "The factory is null, so there is no app to send load to."),
    ];

    private static IEnumerable<BadInput> RequestLines =>
    [
        Line("request line without a method", "/plan", "The request '/plan' is not of the form \"METHOD /path\", e.g. \"GET /plan?week=2026-11-23\"."),
        Line("request line without a path", "GET", "The request 'GET' is not of the form \"METHOD /path\""),
        Line("request line with a relative path", "GET plan", "The request 'GET plan' is not of the form \"METHOD /path\""),
        Line("empty request line", "", "The request is empty. Give the method and the path, e.g. \"GET /plan?week=2026-11-23\"."),
        Line("null request line", null, "The request is null. Give the method and the path, e.g. \"GET /plan?week=2026-11-23\"."),
        Line("request line with a bad method", "G(T /plan", "The request 'G(T /plan' has the method 'G(T', which is not an HTTP method. Start it with GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS."),
        new(Area, "one-line run with zero users", () => Load.RunAsync(Nowhere, "GET /ok", users: 0), "Users is 0; at least 1 virtual user is needed."),
        new(Area, "one-line run with a negative duration", () => Load.RunAsync(Nowhere, "GET /ok", users: 2, duration: TimeSpan.FromSeconds(-3)), "Duration is -3 s; it must be greater than zero."),
        new(Area, "one-line run with a null target", () => Load.RunAsync(null!, "GET /ok", users: 2), "The target is null."),
    ];

    private static string TooLong(string what, string value) => $"{what} is {value}; it must be at most 24 h (longer waits overflow the timers). Split a longer soak into several runs.";

    // Inputs are built inside the act, so one that throws while being built is that entry's crash, not the catalogue's.
    private static BadInput Run(string name, Func<LoadProfile?> profile, params string[] expected) => Run(name, () => Valid, () => profile(), expected);

    private static BadInput Run(string name, Func<Scenario?> scenario, Func<LoadProfile?> profile, params string[] expected)
        => new(Area, name, () => Load.RunAsync(Nowhere, scenario()!, profile()!, new LoadOptions { Warmup = TimeSpan.Zero }), expected);

    private static BadInput Mix(string name, Func<ScenarioLoad[]> parts, params string[] expected)
        => new(Area, name, () => Load.RunMixAsync(Nowhere, parts(), new LoadOptions { Warmup = TimeSpan.Zero }), expected);

    private static BadInput Option(string name, LoadOptions options, params string[] expected)
        => new(Area, "LoadOptions: " + name, () => Load.RunAsync(Nowhere, Valid, OneUser, options), expected);

    private static BadInput Line(string name, string? line, params string[] expected)
        => new(Area, name, () => Load.RunAsync(Nowhere, line!, OneUser), expected);
}
