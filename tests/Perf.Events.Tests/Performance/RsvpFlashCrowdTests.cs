using EventPlatform.Api.Data;
using Perf.Events.Tests.Correctness;
using Perf.Events.Tests.Support;
using PerfRegression;
using PerfRegression.Session;

namespace Perf.Events.Tests.Performance;

/// <summary>
/// Seed 004's RSVP test: a flash crowd at the launch event, with the seed's p95 &lt; 800 ms, and correctness under load —
/// after the run the database must hold no more RSVPs than seats, each accepted RSVP exactly once, and refusals only
/// once the event was full (<see cref="RsvpLedger"/>, a "Correctness" section of the verdict).
/// </summary>
public sealed class RsvpFlashCrowdTests(EventsApp app) : IClassFixture<EventsApp>
{
    /// <summary>What a developer looks at when the crowd broke an invariant.</summary>
    public const string WhatToDo =
        "Take the seat and store the RSVP in one transaction, with the capacity condition in the database (a conditional UPDATE "
        + "or a CHECK constraint), not in a count read before the insert: concurrent requests all read the same count.";

    // A flash crowd changes what it measures: once the event is full, every later RSVP is a quick refusal, so a second
    // trial would not repeat the first. The seed's absolute budget and the correctness check are this test's gate.
    [Fact, LatencyBudget(p95: 800, Route = "rsvp", ErrorRate = 0.01), RegressionGate(Enabled = false)]
    public Task Rsvp_flash_crowd_never_overbooks_the_launch() => RunFlashCrowdAsync(app, EventProfiles.FlashCrowd, PerfSession.Current!);

    /// <summary>
    /// At most 5 s of warm-up (the default allows 30 s, for a gate that compares CPU per request, and took 11 s here):
    /// with no baseline gate, the crowd is judged by its absolute budget (p95 7 ms against 800 ms) and by correctness,
    /// which a code path still being optimised does not move.
    /// </summary>
    private static readonly LoadOptions CrowdWarmup = new() { MaxWarmup = TimeSpan.FromSeconds(5) };

    /// <summary>The flash crowd against <paramref name="host"/>, with the ledger's check added to <paramref name="session"/> (or returned for a test to decide).</summary>
    internal static async Task<(LoadReport Report, RsvpLedger Ledger)> RunFlashCrowdAsync(EventPlatformHost host, LoadProfile profile, PerfSession? session)
    {
        var ledger = new RsvpLedger(SeedData.LaunchEventId);
        session?.AddCheck(new IntegrityCheck(ct => ledger.VerifyAsync(host.Database, ct), WhatToDo));
        var members = new Members(host.Tokens);
        // The crowd's seats must all be free when the measurement starts, so the warm-up (the scenario at the crowd's rate)
        // takes seats at events 3 to 100 in turn instead (event 2 is the room's).
        var warmUpEvents = DataFeed.Circular(Enumerable.Range(3, SeedData.Events - 2));
        var scenario = Scenario.Create("rsvp flash crowd")
            .Send("rsvp", u => members.Rsvp(u.IsWarmingUp ? warmUpEvents.Next(u) : ledger.EventId, members.Next()), Check.Status(201, 409), Check.That("a seat or 'event full'", ledger.Record));
        return (await Load.RunAsync(host.Target, scenario, profile, CrowdWarmup, TestContext.Current.CancellationToken), ledger);
    }
}
