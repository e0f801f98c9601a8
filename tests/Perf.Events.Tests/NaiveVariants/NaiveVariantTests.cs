using Perf.Events.Tests.Correctness;
using Perf.Events.Tests.Performance;
using PerfRegression;
using PerfRegression.Checks;

namespace Perf.Events.Tests.NaiveVariants;

/// <summary>
/// Proof that the performance tests' correctness checks can fail: the same flash crowd and webhook burst, against
/// variants of the app that overbook or pay twice, must end in a failed verdict whose Correctness section says what
/// broke. (Tests of the checks, not gates of the app, so they run with every test rather than in the performance stage.)
/// </summary>
public sealed class NaiveVariantTests
{
    /// <summary>
    /// The crowd's worst moment: a hundred members pressing RSVP together, six times each (600 RSVPs for 400 seats). A
    /// count read before the insert is passed by every request in flight together, and here a hundred are.
    /// </summary>
    private static LoadProfile HundredAtOnce => LoadProfile.Iterations(100, 6);

    private static LoadProfile PullRequestFlashCrowd => LoadProfile.FlashCrowd(600, TimeSpan.FromSeconds(5), maxConcurrency: 100, peakShare: 0.5, peakWindow: TimeSpan.FromSeconds(2));

    public sealed class WithoutCapacityCheck(UncheckedCapacityApp app) : IClassFixture<UncheckedCapacityApp>
    {
        [Fact]
        public async Task The_flash_crowd_catches_a_store_that_does_not_check_capacity()
        {
            var (report, ledger) = await RsvpFlashCrowdTests.RunFlashCrowdAsync(app, PullRequestFlashCrowd, session: null);
            var verdict = await VerdictAsync(report, ledger.VerifyAsync(app.Database, TestContext.Current.CancellationToken), RsvpFlashCrowdTests.WhatToDo);

            verdict.Passed.Should().BeFalse(verdict.Text);
            verdict.Text.Should().Contain("Correctness").And.Contain("200 more RSVPs than seats were stored: the event is overbooked")
                .And.Contain("the event's seat count reads 0 but 600 RSVPs are stored");
        }
    }

    public sealed class CountingBeforeInserting(CountFirstCapacityApp app) : IClassFixture<CountFirstCapacityApp>
    {
        [Fact]
        public async Task The_flash_crowd_catches_a_store_that_counts_seats_before_inserting()
        {
            var (report, ledger) = await RsvpFlashCrowdTests.RunFlashCrowdAsync(app, HundredAtOnce, session: null);
            var verdict = await VerdictAsync(report, ledger.VerifyAsync(app.Database, TestContext.Current.CancellationToken), RsvpFlashCrowdTests.WhatToDo);

            verdict.Passed.Should().BeFalse(verdict.Text);
            verdict.Text.Should().Contain("Correctness").And.MatchRegex(@"\d+ more RSVPs than seats were stored: the event is overbooked");
        }
    }

    public sealed class ReplayingWebhooks(ReplayingWebhooksApp app) : IClassFixture<ReplayingWebhooksApp>
    {
        [Fact]
        public async Task The_webhook_burst_catches_a_handler_that_processes_replays_again()
        {
            var (report, ledger) = await WebhookBurstTests.RunBurstAsync(app, LoadProfile.ConstantRate(100, TimeSpan.FromSeconds(3), maxConcurrency: 100), session: null);
            var verdict = await VerdictAsync(report, ledger.VerifyAsync(app.Database, TestContext.Current.CancellationToken), WebhookBurstTests.WhatToDo);

            verdict.Passed.Should().BeFalse(verdict.Text);
            ledger.ReplaysSent.Should().BeGreaterThan(0);
            verdict.Text.Should().Contain("Correctness").And.Contain("a replay was processed again").And.Contain("a replay was accepted as a new event")
                .And.Contain($"{ledger.ReplaysSent} replays were sent but 0 were refused as replays");
        }
    }

    private static async Task<TestVerdict> VerdictAsync(LoadReport report, Task<IReadOnlyList<Invariant>> invariants, string whatToDo)
    {
        var verdict = TestVerdict.Of([report], [IntegrityCheck.Decide(await invariants, whatToDo)], "naive variant");
        TestContext.Current.TestOutputHelper!.WriteLine(verdict.Text);
        return verdict;
    }
}
