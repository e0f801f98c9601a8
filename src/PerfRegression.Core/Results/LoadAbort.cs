using PerfRegression.Text;

namespace PerfRegression;

/// <summary>Why and when a run was ended before its planned end (an abort-on-fail budget broken while it ran).</summary>
/// <param name="Scenario">The scenario whose run broke the budget; in a mix, every part stops with it.</param>
/// <param name="After">How long the measured phase had run when it was aborted.</param>
/// <param name="Planned">The planned measured duration; <see langword="null"/> for a profile bounded by iterations.</param>
/// <param name="Reason">What was broken, e.g. <c>p95 budget on route 'search' broken: 812 ms &gt; 500 ms</c>.</param>
public sealed record LoadAbort(string Scenario, TimeSpan After, TimeSpan? Planned, string Reason)
{
    /// <summary>One line, e.g. <c>aborted after 6 s of the planned 1 min (scenario 'search'): p95 budget … broken</c>.</summary>
    public override string ToString()
        => $"aborted after {Formatting.Duration(After)}{(Planned is { } planned ? $" of the planned {Formatting.Duration(planned)}" : string.Empty)} (scenario '{Scenario}'): {Reason}";
}
