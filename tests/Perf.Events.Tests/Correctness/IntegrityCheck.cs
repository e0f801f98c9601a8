using PerfRegression;
using PerfRegression.Checks;

namespace Perf.Events.Tests.Correctness;

/// <summary>
/// Correctness under load as a check of the test, beside its latency budgets: after the body, <paramref name="verify"/>
/// reads what the run left in the database and the answers it was given, and every <see cref="Invariant"/> that does not
/// hold fails the test in a section of its own ("Correctness") in the verdict, the results JSON and the summary. A run
/// that sent no request fails too: invariants over nothing would hold vacuously.
/// </summary>
/// <param name="verify">Reads the invariants after the run.</param>
/// <param name="whatToDo">What a developer should look at when one does not hold.</param>
public sealed class IntegrityCheck(Func<CancellationToken, Task<IReadOnlyList<Invariant>>> verify, string whatToDo) : IPerfCheck
{
    /// <summary>The section's title.</summary>
    public const string Title = "Correctness";

    public async ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.NoLoadProblem() is { } nothing)
        {
            return new CheckResult { Title = Title, Severity = CheckSeverity.Fail, Problems = [nothing] };
        }

        return Decide(await verify(cancellationToken), whatToDo);
    }

    /// <summary>The section for <paramref name="invariants"/>: failed when any does not hold.</summary>
    public static CheckResult Decide(IReadOnlyList<Invariant> invariants, string whatToDo)
    {
        ArgumentNullException.ThrowIfNull(invariants);
        var broken = invariants.Where(i => !i.Held).ToArray();
        var severity = broken.Length == 0 ? CheckSeverity.Pass : CheckSeverity.Fail;
        return new CheckResult
        {
            Title = Title,
            Severity = severity,
            Headline = broken.Length == 0 ? "" : broken.Length == 1 ? "1 invariant broken" : $"{broken.Length} invariants broken",
            Items = [.. invariants.Select(i => new CheckItem
            {
                Severity = i.Held ? CheckSeverity.Pass : CheckSeverity.Fail,
                Subject = i.Subject,
                Check = i.Rule,
                Expected = i.Expected,
                Measured = i.Measured,
                Verdict = i.Held ? "ok" : "broken",
                Reason = i.Held ? null : i.Finding,
            })],
            Body =
            [
                new TableBlock(
                    ["subject", "invariant", "expected", "measured", "verdict"],
                    [.. invariants.Select(i => (IReadOnlyList<string>)[i.Subject, i.Rule, i.Expected, i.Measured, i.Held ? "ok" : "BROKEN"])])
                {
                    LeftAligned = [0, 1, 4],
                },
                .. broken.Length == 0 ? Array.Empty<CheckBlock>() : [new TextBlock([.. broken.Select(i => $"{i.Subject}: {i.Finding}")])],
            ],
            WhatToDo = broken.Length == 0 ? null : whatToDo,
        };
    }
}
