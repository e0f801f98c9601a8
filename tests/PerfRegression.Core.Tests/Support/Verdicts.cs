using PerfRegression.Checks;
using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Support;

/// <summary>
/// Check results from known values, one per kind of check the library ships, so that every output of a verdict
/// (text, results JSON, summary.md) can be compared with a snapshot exactly.
/// </summary>
internal static class Verdicts
{
    public const string Baselines = "/repo/baselines/pr";

    private const string Ingredients = "SELECT name, quantity, unit FROM recipe_ingredients WHERE recipe_id = ?";
    private const string Plan = "SELECT p.day, p.meal, r.name FROM plan_entries AS p JOIN recipes AS r ON r.id = p.recipe_id WHERE p.user_id = ? AND p.week = ?";

    public static LoadReport Calendar { get; } = Reports.Report("calendar", ["Coordinated omission: example warning."], Reports.Route("GET /plan", Reports.Uniform(1000, 0.25)));

    public static LoadReport Shopping { get; } = Reports.Report("shopping", Reports.Route("naive-shopping", Reports.Uniform(40, 0.5)));

    /// <summary>Budgets on the first route of <paramref name="report"/> (the calendar run by default): p95 holds, p99 holds or breaks.</summary>
    public static CheckResult Budgets(bool broken, LoadReport? report = null)
    {
        report ??= Calendar;
        var route = report.Routes[0].Name;
        return BudgetEvaluation.Evaluate([report], [Budget.P95(500, route), Budget.P99(broken ? 200 : 500, route), Budget.ErrorRate(0.01)]).ToCheckResult();
    }

    /// <summary>The gate on the calendar run: p95 confirmed slower by about 40%, or the same, or inconclusive.</summary>
    public static CheckResult Gate(Verdict verdict)
    {
        double[] baseline = [200, 204, 198, 202, 201];
        double[] current = verdict switch
        {
            Verdict.Slower => [282, 279, 285, 280, 283],
            Verdict.Inconclusive => [290, 190, 300, 195, 310],
            _ => [201],
        };
        var comparison = RegressionComparer.Compare("GET /plan", "p95", baseline, current, 5_000, current.Length * 1_000, GatePolicy.Default);
        comparison.Verdict.Should().Be(verdict, "the made-up trials stand for that verdict");
        var path = Baselines + "/PlanTests.Calendar.json";
        var received = verdict == Verdict.Slower ? Baselines + "/PlanTests.Calendar.received.json" : null;
        return new GateOutcome("Perf.Api.Tests.PlanTests.Calendar", path, received, baselineWritten: false, [comparison], [], [], BaselineMode.Compare, "pr", GatePolicy.Default).ToCheckResult();
    }

    /// <summary>The database checks of the shopping run: an N+1 of 21 commands per request, over a cap of 5.</summary>
    public static CheckResult Database() => Database([]);

    /// <summary>The same database checks, with <paramref name="plans"/> explained and their findings added.</summary>
    public static CheckResult Database(IReadOnlyList<PlanAnalysis> plans)
    {
        var requests = Enumerable.Range(0, 40)
            .Select(i => new RequestQueries("naive-shopping", [new(Plan, TimeSpan.FromMilliseconds(1.2)), .. Enumerable.Repeat(new CapturedStatement(Ingredients, TimeSpan.FromMilliseconds(0.1 + (i % 4 * 0.05))), 21)]))
            .ToArray();
        var routes = QueryStatistics.Compute(requests, topStatements: 5);
        var statements = QueryStatistics.Compute(requests.Select(r => r with { Route = string.Empty }), topStatements: int.MaxValue).Single().TopStatements;
        var repetitions = new QueryRepetitionDetector(new QueryRepetitionOptions()).Find(requests);
        var budget = new QueryBudget { Route = "naive-shopping", MaxPerRequest = 5 };
        var findings = repetitions.Findings.Select(f => "N+1: " + f.Description)
            .Append("Commands per request: naive-shopping ran up to 22 SQL commands in one request (p50 22), over the budget of 5. Load what the request needs in fewer queries (joins, WHERE … = ANY(…)), or raise MaxPerRequest if the work is intended.")
            .Concat(plans.SelectMany(p => p.Findings).Select(f => "Plan: " + f))
            .ToArray();
        return new QueryReport(budget, requests.Length, requests.Sum(r => (long)r.Statements.Count), routes, repetitions, plans, [], statements,
            new ConnectionPoolStatistics(10, 100, 0, 0), [], lateCommands: 0, unendedCommands: 0, findings, []).ToCheckResult();
    }

    public static TestVerdict Of(string test, IReadOnlyList<LoadReport> reports, params CheckResult[] results)
        => TestVerdict.Of(reports, results, test) with
        {
            Context = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["baseline mode"] = "compare", ["profile"] = "pr" },
        };

    /// <summary>The results file of a test that recorded no load and broke its p95 budget on GET /plan: 612 ms against 500 ms.</summary>
    public static TestResults BrokenP95Budget() => new("Plan.Calendar", new TestVerdict
    {
        Test = "Perf.Plan.Calendar",
        Results =
        [
            new CheckResult
            {
                Title = "Budgets",
                Severity = CheckSeverity.Fail,
                Headline = "1 budget broken",
                Items = [new CheckItem { Severity = CheckSeverity.Fail, Subject = "GET /plan", Check = "p95 budget", Expected = "<= 500 ms", Measured = "612 ms", Evidence = "1,200 requests", Verdict = "broken" }],
            },
        ],
    }, []);
}
