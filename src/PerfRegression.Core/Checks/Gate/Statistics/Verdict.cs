namespace PerfRegression;

/// <summary>The outcome of comparing a statistic with its baseline. Never a bare "greater than".</summary>
public enum Verdict
{
    /// <summary>Confidently faster than the baseline by more than the warn margin.</summary>
    Faster,

    /// <summary>Within the warn margin of the baseline.</summary>
    Same,

    /// <summary>Significantly slower than the baseline (Mann–Whitney, p below the policy's alpha) with an estimated slowdown beyond the warn margin (a failure when the estimate is beyond the fail margin).</summary>
    Slower,

    /// <summary>The measurements moved beyond the warn margin, but not with enough evidence to say so. Reported, never passed off as Same.</summary>
    Inconclusive,
}
