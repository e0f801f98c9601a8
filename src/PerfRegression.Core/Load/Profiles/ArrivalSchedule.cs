namespace PerfRegression;

/// <summary>
/// Pure arithmetic for open-model schedules: the intended start offset of the i-th iteration under a
/// piecewise-linear arrival rate. Iteration i starts when the cumulative number of arrivals
/// ∫ rate(t) dt reaches i, which makes the schedule exact and independent of timer resolution.
/// </summary>
internal sealed class ArrivalSchedule
{
    private readonly Segment[] _segments;

    public ArrivalSchedule(double startPerSecond, IReadOnlyList<RateStage> stages)
    {
        var segments = new List<Segment>(stages.Count);
        double from = startPerSecond;
        double startSeconds = 0;
        double arrivalsBefore = 0;
        foreach (var stage in stages)
        {
            var seconds = stage.Duration.TotalSeconds;
            var to = stage.TargetPerSecond;
            var arrivals = (from + to) / 2 * seconds;
            segments.Add(new Segment(startSeconds, seconds, from, to, arrivalsBefore));
            arrivalsBefore += arrivals;
            startSeconds += seconds;
            from = to;
        }

        _segments = segments.ToArray();
        TotalArrivals = arrivalsBefore;
        TotalSeconds = startSeconds;
    }

    /// <summary>The cumulative arrivals over the whole schedule (fractional).</summary>
    public double TotalArrivals { get; }

    public double TotalSeconds { get; }

    /// <summary>How many iterations are scheduled to start strictly before <paramref name="offset"/>.</summary>
    public long CountBefore(TimeSpan offset)
    {
        var seconds = offset.TotalSeconds;
        foreach (var s in _segments)
        {
            if (seconds < s.Start + s.Seconds)
            {
                var t = Math.Max(seconds - s.Start, 0);
                var slope = (s.To - s.From) / s.Seconds;
                var arrivals = s.ArrivalsBefore + (s.From * t) + (slope * t * t / 2);
                return (long)Math.Ceiling(arrivals - 1e-9);
            }
        }

        return (long)Math.Ceiling(TotalArrivals - 1e-9);
    }

    /// <summary>
    /// The intended start offset of iteration <paramref name="index"/> (0-based), or <see langword="null"/>
    /// when the schedule ends before it.
    /// </summary>
    public TimeSpan? OffsetOf(long index)
    {
        double target = index;
        foreach (var s in _segments)
        {
            var arrivalsInSegment = (s.From + s.To) / 2 * s.Seconds;
            if (target < s.ArrivalsBefore + arrivalsInSegment - 1e-12)
            {
                var need = target - s.ArrivalsBefore;
                var seconds = SolveSeconds(s, need);
                return TimeSpan.FromSeconds(s.Start + Math.Clamp(seconds, 0, s.Seconds));
            }
        }

        return null;
    }

    // Solve from*t + slope*t^2/2 = need for t in [0, seconds].
    private static double SolveSeconds(Segment s, double need)
    {
        if (need <= 0)
        {
            return 0;
        }

        var slope = (s.To - s.From) / s.Seconds;
        if (Math.Abs(slope) < 1e-12)
        {
            return need / s.From;
        }

        var discriminant = (s.From * s.From) + (2 * slope * need);
        return (-s.From + Math.Sqrt(Math.Max(discriminant, 0))) / slope;
    }

    private readonly record struct Segment(double Start, double Seconds, double From, double To, double ArrivalsBefore);
}
