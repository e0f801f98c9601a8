using PerfRegression;
using PerfRegression.Text;

namespace Perf.Events.Tests.Correctness;

/// <summary>One rule the data must satisfy after a run, with what was expected and found, e.g. "stored RSVPs ≤ capacity: 400 / 412".</summary>
/// <param name="Subject">What it is about, e.g. <c>event 1</c>.</param>
/// <param name="Rule">The rule, e.g. <c>RSVPs stored ≤ capacity</c>.</param>
/// <param name="Expected">What the rule allows.</param>
/// <param name="Measured">What the database or the responses show.</param>
/// <param name="Held">Whether the rule held.</param>
/// <param name="Finding">When it did not hold, what went wrong in a sentence, with examples.</param>
public sealed record Invariant(string Subject, string Rule, string Expected, string Measured, bool Held, string Finding = "")
{
    /// <summary>An invariant comparing two counts for equality.</summary>
    public static Invariant Equal(string subject, string rule, long expected, long measured, string finding)
        => new(subject, rule, Formatting.Count(expected), Formatting.Count(measured), expected == measured, expected == measured ? "" : finding);

    /// <summary>An invariant that a list of offenders is empty; the finding names the first few.</summary>
    public static Invariant None<T>(string subject, string rule, IReadOnlyCollection<T> offenders, Func<T, string> describe, string finding)
        => new(subject, rule, "none", Formatting.Count(offenders.Count), offenders.Count == 0,
            offenders.Count == 0 ? "" : $"{finding}: {string.Join("; ", offenders.Take(3).Select(describe))}{(offenders.Count > 3 ? $"; and {Formatting.Count(offenders.Count - 3)} more" : "")}.");
}
