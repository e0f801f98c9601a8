using System.Globalization;
using EventPlatform.Api.Data;
using Perf.Events.Tests.Correctness;
using PerfRegression;
using PerfRegression.Session;

namespace Perf.Events.Tests.Performance;

/// <summary>
/// Seed 004 runs browsing, RSVPs and webhooks together: this test measures the read path alone, then under a mixed
/// load (members browsing while signed payment webhooks arrive at 100 a second and write to the same database), and
/// writes both p95s to its output. Budgets are scoped to the read and write tags; the webhooks must still be processed
/// exactly once. The gate is off: the mix's read latency follows the two parts' interleaving, and the seed's
/// absolute budgets are what the pull request must meet.
/// </summary>
public sealed class MixedWorkloadTests(EventsApp app, ITestOutputHelper output) : IClassFixture<EventsApp>
{
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(PerfProfile.IsFull ? 60 : 2);

    [Fact]
    [LatencyBudget(p95: 300, Tag = "kind:read")]
    [LatencyBudget(p95: 500, Tag = "kind:write")]
    [LatencyBudget(ErrorRate = 0.01)]
    [RegressionGate(Enabled = false)]
    public async Task Browsing_while_payment_webhooks_arrive()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = new WebhookLedger(app.WebhookSecret, TimeProvider.System);
        PerfSession.Current!.AddCheck(new IntegrityCheck(c => ledger.VerifyAsync(app.Database, c), WebhookBurstTests.WhatToDo));
        // Two seconds of warm-up at most: without a gate, the budgets are absolute and far from the measured p95s.
        var options = new LoadOptions { MaxWarmup = TimeSpan.FromSeconds(2) };
        var readers = LoadProfile.Users(20, Measured);
        var webhooks = LoadProfile.ConstantRate(100, Measured, maxConcurrency: 100);

        var alone = await Load.RunAsync(app.Target, Browse("browsing alone"), readers, options, ct);
        var mix = await Load.RunMixAsync(
            app.Target,
            [Browse("browsing").Under(readers), Scenario.Create("payment webhooks").Send("payment-webhook", _ => ledger.NextDelivery(), Check.Status(202, 409), Check.That("processed, or refused as a replay", ledger.Record)).Tagged("kind", "write").Under(webhooks)],
            options,
            ct);

        var (browsing, payments) = (mix["browsing"], mix["payment webhooks"]);
        var before = alone.Route("event-page").Latency.P95;
        var during = browsing.Route("event-page").Latency.P95;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"event-page p95: {before:0.###} ms alone ({alone.Route("event-page").Successes:N0} requests), {during:0.###} ms while webhooks arrived ({browsing.Route("event-page").Successes:N0} requests): {during / before:0.##}x"));
        alone.Route("event-page").Successes.Should().BeGreaterThan(0);
        browsing.Route("event-page").Successes.Should().BeGreaterThan(0);
        browsing.RanWith.Should().Equal("payment webhooks");
        browsing.Route("event-page").Count.Should().Be(browsing.Iterations, "each iteration of a reader asks for the list, then one event");
        (browsing.Route("events").Count - browsing.Route("event-page").Count).Should().BeInRange(0, 20, "at most one list per reader is still waiting for its event page when the run ends");
        (payments.Iterations + payments.DroppedIterations + payments.InterruptedIterations).Should().Be((long)(100 * Measured.TotalSeconds), "the open model starts 100 deliveries a second whatever the readers do");
        payments.Route("payment-webhook").Count.Should().Be(payments.Iterations);
    }

    /// <summary>A member's visit: the list of upcoming events, then one event's page; tagged as reads.</summary>
    private static Scenario Browse(string name) => Scenario.Create(name)
        .WithTag("kind", "read")
        .Group("browse", g => g
            .Get("events", "/events?take=20", Check.Status(200))
            .Get("event-page", u => "/events/" + u.Random.Next(1, SeedData.Events + 1).ToString(CultureInfo.InvariantCulture), Check.Status(200)));
}
