using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// How latency recovered after the disturbance a load profile made (<see cref="LoadProfile.Spike"/>,
/// <see cref="LoadProfile.FlashCrowd"/>): the time from the disturbance's end until every later second's p95 (the
/// slowest route's) stays within <see cref="Tolerance"/> of its reference level, read from the run's timeline.
/// </summary>
/// <param name="DisturbanceStartSeconds">When the disturbance began, seconds into the measured phase.</param>
/// <param name="DisturbanceEndSeconds">When it ended.</param>
/// <param name="ReferenceP95">The level recovered to, milliseconds: the median p95 of the seconds before the disturbance, or of the run's last third when there were none (a flash crowd starts the run).</param>
/// <param name="ReferenceIsBefore">Whether <see cref="ReferenceP95"/> is the level before the disturbance (otherwise the level the run settled at).</param>
/// <param name="RecoverySeconds">Seconds from the disturbance's end until p95 stayed back; 0 when it never left the band; <see langword="null"/> when it had not come back by the end of the run.</param>
/// <param name="Tolerance">The band around the reference, a fraction (0.25: within 25%).</param>
public sealed record LoadRecovery(double DisturbanceStartSeconds, double DisturbanceEndSeconds, double ReferenceP95, bool ReferenceIsBefore, double? RecoverySeconds, double Tolerance)
{
    /// <summary>The band p95 recovers to, as a fraction of the reference: the default of <see cref="Read"/>.</summary>
    public const double DefaultTolerance = 0.25;

    /// <summary>Whether p95 came back within the band before the run ended.</summary>
    public bool Recovered => RecoverySeconds is not null;

    /// <summary>
    /// Reads the recovery after a disturbance from <paramref name="start"/> to <paramref name="end"/> from a
    /// <paramref name="timeline"/>; <see langword="null"/> when the timeline has no second after <paramref name="end"/>,
    /// or no reference level to recover to.
    /// </summary>
    public static LoadRecovery? Read(Timeline? timeline, TimeSpan start, TimeSpan end, double tolerance = DefaultTolerance)
    {
        if (timeline is null || end < start || !double.IsFinite(tolerance) || tolerance <= 0)
        {
            return null;
        }

        static double? P95(TimelineInterval interval) => interval.Routes.Where(r => r.Requests > r.Errors).Select(r => (double?)r.P95).Max();
        var after = timeline.Intervals.Where(i => i.StartSeconds >= end.TotalSeconds).Select(i => (i.StartSeconds, P95: P95(i))).Where(i => i.P95 is not null).ToArray();
        if (after.Length == 0)
        {
            return null;
        }

        var before = timeline.Intervals.Where(i => i.StartSeconds + i.Seconds <= start.TotalSeconds).Select(P95).OfType<double>().Order().ToArray();
        var referenceIsBefore = before.Length > 0;
        var levels = referenceIsBefore ? before : after.Skip(after.Length * 2 / 3).Select(i => i.P95!.Value).Order().ToArray();
        var reference = levels[levels.Length / 2];
        var limit = reference * (1 + tolerance);
        var recovered = after.Length;
        while (recovered > 0 && after[recovered - 1].P95 <= limit)
        {
            recovered--;
        }

        double? seconds = recovered == after.Length ? null : recovered == 0 ? 0 : after[recovered].StartSeconds - end.TotalSeconds;
        return new LoadRecovery(start.TotalSeconds, end.TotalSeconds, reference, referenceIsBefore, seconds, tolerance);
    }

    /// <summary>The worst of several trials' recoveries (one that never recovered is the worst); <see langword="null"/> when any has none.</summary>
    public static LoadRecovery? Worst(IReadOnlyList<LoadRecovery?> recoveries)
    {
        ArgumentNullException.ThrowIfNull(recoveries);
        return recoveries.Count == 0 || recoveries.Any(r => r is null) ? null : recoveries.MaxBy(r => r!.RecoverySeconds ?? double.PositiveInfinity);
    }

    /// <summary>One line, e.g. <c>recovery: p95 back within 25% of its 12 ms before the disturbance 3 s after it ended (disturbance 10–15 s)</c>.</summary>
    public override string ToString()
    {
        var level = $"within {Formatting.Percent(Tolerance)} of its {Formatting.Milliseconds(ReferenceP95)} {(ReferenceIsBefore ? "before the disturbance" : "at the end of the run")}";
        var window = $"(disturbance {Formatting.Number(DisturbanceStartSeconds, "0.#")}–{Formatting.Number(DisturbanceEndSeconds, "0.#")} s)";
        return RecoverySeconds is { } seconds
            ? seconds == 0 ? $"recovery: p95 stayed {level} from the disturbance's end on {window}" : $"recovery: p95 back {level} {Formatting.Number(seconds, "0.#")} s after the disturbance ended {window}"
            : $"recovery: p95 had not come back {level} by the end of the run {window}";
    }
}
