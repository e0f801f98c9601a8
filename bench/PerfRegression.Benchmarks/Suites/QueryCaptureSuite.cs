using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using MealPlanner.Api.Data;
using MealPlanner.Api.Planning;
using PerfRegression.Benchmarks.Support;
using PerfRegression.PostgreSql;

namespace PerfRegression.Benchmarks.Suites;

/// <summary>
/// What per-request query capture (<see cref="QueryCapture"/>) costs the app it watches: the sample's plan-calendar
/// route (<c>GET /plan?week=…</c>, one SQL query per request) on the in-memory TestServer over a seeded PostgreSQL,
/// saturated by a closed model without think time, once with a capture open around the run and once without.
/// Same app, same database, same profile; the two arms alternate in pairs on this noisy machine, and the figure is
/// the median of the pairs' throughput ratios (with ÷ without).
/// </summary>
internal static class QueryCaptureSuite
{
    private const int Users = 32;
    private const int Pairs = 8;
    private const string Route = "plan-calendar";
    private const double Target = 0.9;
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(500);

    // The JIT keeps tiering up for seconds (app, EF Core, Npgsql, and with a capture the activity paths): both arms first run this long.
    // (5 s each left the first pairs still rising.)
    private static readonly TimeSpan FirstWarmup = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(Figures figures, CancellationToken cancellationToken)
    {
        await using var host = await MealPlannerHost.StartAsync(cancellationToken);
        Console.WriteLine($"  {host.Description}");
        var scenario = PlanCalendar();

        var warmWithout = await RunArmAsync(host.Target, scenario, capture: false, FirstWarmup, cancellationToken);

        // Its set-up planned 8 weeks for each user; analyzed now, the database is in its steady state for every pair.
        await host.AnalyzeAsync(cancellationToken);
        var warmWith = await RunArmAsync(host.Target, scenario, capture: true, FirstWarmup, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm-up (discarded): without {warmWithout.Figures.RequestsPerSecond:#,0} req/s · with {warmWith.Figures.RequestsPerSecond:#,0} req/s"));

        var ratios = new List<double>();
        var withs = new List<Arm>();
        var withouts = new List<Arm>();
        for (var pair = 1; pair <= Pairs; pair++)
        {
            // A B, then B A: a steady drift over the run favours neither arm.
            var captureFirst = pair % 2 == 0;
            var first = await RunArmAsync(host.Target, scenario, captureFirst, Measured, cancellationToken);
            var second = await RunArmAsync(host.Target, scenario, !captureFirst, Measured, cancellationToken);
            var (with, without) = captureFirst ? (first, second) : (second, first);
            var ratio = with.Figures.RequestsPerSecond / without.Figures.RequestsPerSecond;
            ratios.Add(ratio);
            withs.Add(with);
            withouts.Add(without);
            var capture = with.Capture!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  pair {pair} ({(captureFirst ? "with first" : "without first")}): with {Describe(with)} · without {Describe(without)} · ratio {ratio:0.000}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"          captured {capture.Requests:#,0} of {with.Requests:#,0} requests, {capture.Commands:#,0} commands ({capture.MinCommands}–{capture.MaxCommands} per request), late {capture.LateCommands}, unended {capture.UnendedCommands}, pool peak {capture.Pool.MaxConnectionsInUse} in use, {capture.Pool.MaxPendingRequests} waiting"));
            figures.Add($"querycapture_pair{pair}_with_rps", with.Figures.RequestsPerSecond, "0");
            figures.Add($"querycapture_pair{pair}_without_rps", without.Figures.RequestsPerSecond, "0");
            figures.Add($"querycapture_pair{pair}_ratio", ratio, "0.000");
        }

        static double Median(List<Arm> arms, Func<Arm, double> value) => Stats.Median(arms.Select(value).ToArray());
        var withRps = Median(withs, a => a.Figures.RequestsPerSecond);
        var withoutRps = Median(withouts, a => a.Figures.RequestsPerSecond);
        var withBytes = Median(withs, a => a.Figures.AllocatedBytesPerRequest);
        var withoutBytes = Median(withouts, a => a.Figures.AllocatedBytesPerRequest);
        var withCpu = Median(withs, a => a.Figures.CpuMicrosecondsPerRequest);
        var withoutCpu = Median(withouts, a => a.Figures.CpuMicrosecondsPerRequest);
        var measured = withs.Sum(a => a.Requests);
        var captured = withs.Sum(a => (long)a.Capture!.Requests);
        var commands = withs.Sum(a => a.Capture!.Commands);
        var everyRequest = withs.All(a => a.Capture!.Requests == a.Requests && a.Capture.MinCommands >= 1);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  medians over {Pairs} pairs: with {withRps:#,0} req/s, {withCpu:0.0} µs CPU, {withBytes:#,0} B per request · without {withoutRps:#,0} req/s, {withoutCpu:0.0} µs CPU, {withoutBytes:#,0} B per request · the capture adds {withCpu - withoutCpu:0.0} µs CPU and {withBytes - withoutBytes:#,0} B per request (this process; PostgreSQL's CPU is apart)"));
        figures.Add("querycapture_with_rps", withRps, "0");
        figures.Add("querycapture_without_rps", withoutRps, "0");
        figures.Add("querycapture_with_alloc_bytes_per_request", withBytes, "0");
        figures.Add("querycapture_without_alloc_bytes_per_request", withoutBytes, "0");
        figures.Add("querycapture_with_cpu_us_per_request", withCpu, "0.0");
        figures.Add("querycapture_without_cpu_us_per_request", withoutCpu, "0.0");
        figures.Add("querycapture_with_db_cpu_us_per_request", Median(withs, a => a.DatabaseCpuMicrosecondsPerRequest), "0.0");
        figures.Add("querycapture_without_db_cpu_us_per_request", Median(withouts, a => a.DatabaseCpuMicrosecondsPerRequest), "0.0");
        figures.Add("querycapture_requests_measured", measured, "0");
        figures.Add("querycapture_requests_captured", captured, "0");
        figures.Add("querycapture_commands_per_request", captured == 0 ? double.NaN : (double)commands / captured, "0.000");
        figures.Add("querycapture_late_commands", withs.Sum(a => a.Capture!.LateCommands), "0");
        figures.Add("querycapture_unended_commands", withs.Sum(a => a.Capture!.UnendedCommands), "0");
        figures.AddWithTarget("querycapture_every_request_captured", everyRequest ? 1 : 0, "0", "1 (each measured request captured, each with its query)", everyRequest);
        var median = Stats.Median(ratios);
        figures.AddWithTarget("query_capture_overhead_ratio", median, "0.000", $">= {Target.ToString(CultureInfo.InvariantCulture)} (median of per-pair with/without req/s)", median >= Target);
    }

    /// <summary>
    /// Each virtual user logs in as its own seeded user (user <c>Id % 100 + 1</c>, a cookie session) and, the first
    /// time that user is seen, plans the 8 weeks from today, so every week asked for has a plan. Then it pages through
    /// those weeks: <c>GET /plan?week=…</c>, one SQL query (plan, meals and recipes joined) per request.
    /// </summary>
    private static Scenario PlanCalendar()
    {
        var planned = new ConcurrentDictionary<int, byte>();
        var paths = Enumerable.Range(0, PlanRules.MaxWeeks)
            .Select(w => string.Create(CultureInfo.InvariantCulture, $"/plan?week={MealPlannerHost.Today.AddDays(7 * w):yyyy-MM-dd}"))
            .ToArray();
        return Scenario.Create(Route)
            .Setup(async (user, ct) =>
            {
                var number = (user.Id % SeedUsers.Count) + 1;
                using (var login = await user.Http.PostAsJsonAsync("/auth/login", new { email = SeedUsers.Email(number), password = SeedUsers.Password(number) }, ct))
                {
                    await EnsureSuccessAsync(login, "logging in", ct);
                }

                if (!planned.ContainsKey(number))
                {
                    using var plan = await user.Http.PostAsJsonAsync("/plan/generate-multi-week", new { weeks = PlanRules.MaxWeeks }, ct);
                    await EnsureSuccessAsync(plan, "planning 8 weeks", ct);
                    planned.TryAdd(number, 0);
                }
            })
            .Get(Route, u => paths[(int)((u.Id + u.Iteration) % paths.Length)]);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"The sample answered HTTP {(int)response.StatusCode} when {what}: {body}");
        }
    }

    /// <summary>One run of the profile, with or without a capture open around it.</summary>
    private static async Task<Arm> RunArmAsync(ILoadTarget target, Scenario scenario, bool capture, TimeSpan duration, CancellationToken cancellationToken)
    {
        var profile = LoadProfile.Users(Users, duration);
        var options = new LoadOptions { Warmup = Warmup };
        LoadReport report;
        CaptureFigures? captured = null;
        if (capture)
        {
            // Registered for this async flow: the runner sends trace context and the capture follows each request.
            using var queries = QueryCapture.Start();
            report = await Load.RunAsync(target, scenario, profile, options, cancellationToken);
            captured = await CaptureFigures.OfAsync(queries, cancellationToken);
        }
        else
        {
            report = await Load.RunAsync(target, scenario, profile, options, cancellationToken);
        }

        if (report.Overall.Errors > 0)
        {
            Console.WriteLine(report.ToSummary());
            throw new InvalidOperationException($"{report.Overall.Errors} of {report.Overall.Count} plan-calendar requests failed ({(capture ? "with" : "without")} capture); the throughputs would not be comparable.");
        }

        var runtime = report.Runtime!;
        var count = report.Overall.Count;
        var seconds = runtime.MeasuredDuration.TotalSeconds;
        return new Arm(
            GeneratorFigures.FromReport(report),
            (runtime.ServerProcessesCpuAverage ?? double.NaN) * runtime.CpuCores * seconds * 1e6 / count,
            runtime.OtherProcessesCpu ?? double.NaN,
            count,
            captured);
    }

    private static string Describe(Arm arm) => string.Create(CultureInfo.InvariantCulture,
        $"{arm.Figures.RequestsPerSecond:#,0} req/s, {arm.Figures.CpuMicrosecondsPerRequest:0.0} µs CPU + {arm.DatabaseCpuMicrosecondsPerRequest:0.0} µs PostgreSQL, {arm.Figures.AllocatedBytesPerRequest:#,0} B per request, others {arm.OthersCpuShare:P0}");

    /// <summary>
    /// One arm's figures. CPU and allocations per request are this process's over the measured phase (app, EF Core,
    /// Npgsql, runner and capture alike; allocations are <see cref="GC.GetTotalAllocatedBytes"/> before and after it);
    /// the PostgreSQL cluster's CPU is counted apart.
    /// </summary>
    private sealed record Arm(GeneratorFigures Figures, double DatabaseCpuMicrosecondsPerRequest, double OthersCpuShare, long Requests, CaptureFigures? Capture);

    /// <summary>What a capture saw of the measured requests.</summary>
    private sealed record CaptureFigures(int Requests, long Commands, int MinCommands, int MaxCommands, long LateCommands, long UnendedCommands, ConnectionPoolStatistics Pool)
    {
        public static async Task<CaptureFigures> OfAsync(QueryCapture capture, CancellationToken cancellationToken)
        {
            var requests = await capture.GetRequestsAsync(cancellationToken);
            var commands = requests.Select(r => r.Commands.Count).ToArray();
            if (requests.Any(r => r.Route != Route))
            {
                throw new InvalidOperationException($"The capture attributed requests to routes other than '{Route}': {string.Join(", ", requests.Select(r => r.Route).Distinct())}.");
            }

            return new CaptureFigures(
                requests.Count,
                commands.Sum(c => (long)c),
                commands.Length == 0 ? 0 : commands.Min(),
                commands.Length == 0 ? 0 : commands.Max(),
                capture.LateCommands,
                capture.UnendedCommands,
                capture.ConnectionPool);
        }
    }
}
