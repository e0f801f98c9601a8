using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// How load is applied: a closed model (a number of virtual users, each looping the scenario) or an
/// open model (iterations started at an arrival rate, whatever the system's speed). Create one with
/// the static factory methods; a profile is immutable and validated when a run is started.
/// </summary>
public abstract class LoadProfile
{
    private protected LoadProfile()
    {
    }

    /// <summary>The most iterations that can be in flight at once (virtual users or the concurrency cap).</summary>
    public abstract int MaxConcurrency { get; }

    /// <summary>The planned duration of the measured phase, or <see langword="null"/> when the profile is bounded by iteration count.</summary>
    public abstract TimeSpan? Duration { get; }

    /// <summary>Whether latency is measured from each iteration's intended start (open model).</summary>
    public abstract bool IsOpenModel { get; }

    /// <summary>A one-line, human-readable description, e.g. <c>closed: 100 users for 10 s</c>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The disturbance this profile makes (a spike, a flash crowd), from its start to its end in the measured phase;
    /// a run reads how latency recovered from it (<see cref="LoadReport.Recovery"/>). <see langword="null"/> for none.
    /// </summary>
    internal (TimeSpan Start, TimeSpan End)? Disturbance { get; private set; }

    /// <summary>Closed model: <paramref name="users"/> virtual users loop the scenario for <paramref name="duration"/>.</summary>
    /// <param name="users">Concurrent virtual users; at least 1.</param>
    /// <param name="duration">Measured duration; greater than zero.</param>
    /// <param name="rampUp">Optional linear ramp from 0 users, counted inside <paramref name="duration"/>. The default is none.</param>
    public static LoadProfile Users(int users, TimeSpan duration, TimeSpan? rampUp = null)
        => new ClosedLoadProfile(users, duration, rampUp ?? TimeSpan.Zero, iterationsPerUser: null, stages: null);

    /// <summary>Closed model: <paramref name="users"/> virtual users each run the scenario <paramref name="iterationsPerUser"/> times.</summary>
    /// <param name="users">Concurrent virtual users; at least 1.</param>
    /// <param name="iterationsPerUser">Iterations each user runs; at least 1.</param>
    public static LoadProfile Iterations(int users, int iterationsPerUser)
        => new ClosedLoadProfile(users, duration: null, TimeSpan.Zero, iterationsPerUser, stages: null);

    /// <summary>
    /// Closed model: <paramref name="users"/> virtual users share <paramref name="iterations"/> iterations (k6's
    /// shared-iterations executor): each user starts the next one as soon as it is free, until all have started, so a
    /// fast user runs more than a slow one. The run ends when the last iteration ends, or at
    /// <see cref="LoadOptions.MaxDuration"/> (then a warning says how many started).
    /// </summary>
    /// <param name="users">Concurrent virtual users; at least 1, at most <paramref name="iterations"/>.</param>
    /// <param name="iterations">Iterations in all; at least 1.</param>
    public static LoadProfile SharedIterations(int users, long iterations)
        => new ClosedLoadProfile(users, duration: null, TimeSpan.Zero, iterationsPerUser: null, stages: null, sharedIterations: iterations);

    /// <summary>
    /// Closed model with k6-style stages, starting from 0 users, e.g. ramp to 100 over 30 s, hold 5 min, ramp to 0 over 30 s:
    /// <c>LoadProfile.Stages(new(TimeSpan.FromSeconds(30), 100), new(TimeSpan.FromMinutes(5), 100), new(TimeSpan.FromSeconds(30), 0))</c>.
    /// </summary>
    public static LoadProfile Stages(params Stage[] stages)
        => new ClosedLoadProfile(users: null, duration: null, TimeSpan.Zero, iterationsPerUser: null, stages?.ToArray() ?? []);

    /// <summary>
    /// Open model at a constant arrival rate. Latency is measured from each iteration's intended start,
    /// so a stall in the system shows up in the percentiles (no coordinated omission).
    /// </summary>
    /// <param name="perSecond">Iterations started per second; greater than zero.</param>
    /// <param name="duration">Measured duration; greater than zero.</param>
    /// <param name="maxConcurrency">The most iterations in flight at once; when all are busy, later iterations start late and the lateness counts in their latency.</param>
    public static LoadProfile ConstantRate(double perSecond, TimeSpan duration, int maxConcurrency)
        => new OpenLoadProfile(perSecond, [new RateStage(duration, perSecond)], maxConcurrency, constant: true);

    /// <summary>Open model whose arrival rate ramps through <paramref name="stages"/>, starting at <paramref name="startPerSecond"/>.</summary>
    /// <param name="startPerSecond">Arrival rate at the start; zero or more.</param>
    /// <param name="maxConcurrency">The most iterations in flight at once.</param>
    /// <param name="stages">The rate stages; at least one.</param>
    public static LoadProfile RampingRate(double startPerSecond, int maxConcurrency, params RateStage[] stages)
        => new OpenLoadProfile(startPerSecond, stages?.ToArray() ?? [], maxConcurrency, constant: false);

    /// <summary>
    /// Closed model with a spike: <paramref name="users"/> for <paramref name="before"/>, a jump to
    /// <paramref name="peakUsers"/> held for <paramref name="spike"/>, then back to <paramref name="users"/> for
    /// <paramref name="after"/>, so the run shows how latency recovers (<see cref="LoadReport.RecoveryAfter"/>). Each
    /// jump takes one second (the first ramp from zero too), inside the phase it starts.
    /// </summary>
    /// <param name="users">The steady load, virtual users; at least 1.</param>
    /// <param name="peakUsers">The spike's virtual users; more than <paramref name="users"/>.</param>
    /// <param name="before">The steady load before the spike; at least 2 s.</param>
    /// <param name="spike">How long the spike holds; at least 2 s.</param>
    /// <param name="after">The steady load after it, where recovery is measured; at least 2 s.</param>
    /// <exception cref="PerfConfigurationException">A value is out of range; the message lists every problem.</exception>
    public static LoadProfile Spike(int users, int peakUsers, TimeSpan before, TimeSpan spike, TimeSpan after)
    {
        var problems = new Problems();
        if (users < 1)
        {
            problems.Add($"The spike's steady load is {users} users; it must be at least 1.");
        }

        if (peakUsers <= users)
        {
            problems.Add($"The spike's peak is {peakUsers} users, not above its steady {users}; a spike must add users.");
        }

        foreach (var (name, value) in new[] { ("before", before), ("spike", spike), ("after", after) })
        {
            if (value < TimeSpan.FromSeconds(2))
            {
                problems.Add($"The spike's '{name}' phase is {Formatting.Duration(value)}; it must be at least 2 s (each jump takes one second of its phase).");
            }
        }

        problems.ThrowIfAny("LoadProfile.Spike");
        var second = TimeSpan.FromSeconds(1);
        var profile = Stages(new Stage(second, users), new Stage(before - second, users), new Stage(second, peakUsers), new Stage(spike - second, peakUsers), new Stage(second, users), new Stage(after - second, users));
        profile.Disturbance = (before, before + spike);
        return profile;
    }

    /// <summary>
    /// Open model of a flash crowd: <paramref name="iterations"/> arrivals over <paramref name="duration"/>, of which
    /// <paramref name="peakShare"/> come in the first <paramref name="peakWindow"/> (the seed's "half of the RSVPs in
    /// the first two minutes": <c>FlashCrowd(10_000, TimeSpan.FromMinutes(10), 500)</c>), the rest evenly after it. The
    /// rate falls from the crowd's to the rest's within one second, and the run reports how latency recovered after
    /// the crowd (<see cref="LoadReport.Recovery"/>, against the level the run settled at).
    /// </summary>
    /// <param name="iterations">All arrivals of the run; at least 1.</param>
    /// <param name="duration">The whole run; longer than <paramref name="peakWindow"/> by at least 2 s.</param>
    /// <param name="maxConcurrency">The most iterations in flight at once.</param>
    /// <param name="peakShare">The share of <paramref name="iterations"/> that arrive in the crowd. The default is 0.5.</param>
    /// <param name="peakWindow">How long the crowd lasts. The default is 2 minutes.</param>
    /// <exception cref="PerfConfigurationException">A value is out of range, or the crowd's rate is not above the rest's; the message lists every problem.</exception>
    public static LoadProfile FlashCrowd(int iterations, TimeSpan duration, int maxConcurrency, double peakShare = 0.5, TimeSpan? peakWindow = null)
    {
        var window = peakWindow ?? TimeSpan.FromMinutes(2);
        var problems = new Problems();
        if (iterations < 1)
        {
            problems.Add($"The flash crowd has {iterations} iterations; it needs at least 1.");
        }

        if (!double.IsFinite(peakShare) || peakShare is <= 0 or >= 1)
        {
            problems.Add($"The flash crowd's peakShare is {Problems.Format(peakShare)}; it is the fraction of the arrivals in the crowd, between 0 and 1 (0.5: half of them).");
        }

        if (window < TimeSpan.FromSeconds(2))
        {
            problems.Add($"The flash crowd's peakWindow is {Formatting.Duration(window)}; it must be at least 2 s.");
        }

        if (duration < window + TimeSpan.FromSeconds(2))
        {
            problems.Add($"The flash crowd's duration is {Formatting.Duration(duration)}; it must be at least 2 s longer than its peakWindow ({Formatting.Duration(window)}) so there is an after to recover in.");
        }
        else if (double.IsFinite(peakShare) && peakShare is > 0 and < 1 && peakShare / window.TotalSeconds <= (1 - peakShare) / (duration - window).TotalSeconds)
        {
            problems.Add($"The flash crowd's peakShare ({Problems.Format(peakShare)}) in its first {Formatting.Duration(window)} of {Formatting.Duration(duration)} is no crowd: its rate would not be above the rest's. Raise peakShare or shorten peakWindow.");
        }

        problems.ThrowIfAny("LoadProfile.FlashCrowd");
        var crowd = iterations * peakShare / window.TotalSeconds;
        var rest = iterations * (1 - peakShare) / (duration - window).TotalSeconds;
        var second = TimeSpan.FromSeconds(1);

        // The one-second fall carries the mean of both rates: half a second of each, so the shares stay as stated.
        var profile = RampingRate(crowd, maxConcurrency, new RateStage(window - (second / 2), crowd), new RateStage(second, rest), new RateStage(duration - window - (second / 2), rest));
        profile.Disturbance = (TimeSpan.Zero, window);
        return profile;
    }

    /// <summary>Every problem with this profile, each naming the value and the fix; empty when valid.</summary>
    internal abstract IReadOnlyList<string> Validate();

    /// <inheritdoc />
    public override string ToString() => Description;
}
