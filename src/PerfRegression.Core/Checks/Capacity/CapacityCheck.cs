using System.Globalization;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// The capacity of a test's capacity searches (<see cref="CapacityReport"/>) in its verdict: the highest rate within
/// budget against a stated <see cref="Minimum"/>, and against the capacity baseline, failing when capacity dropped by
/// more than <see cref="MaxDrop"/> beyond the search's precision. Stated with <c>[CapacityBudget]</c>, or in code with
/// <c>session.AddCheck(new CapacityCheck { ... })</c>; a test that searches capacity without one gets it with the
/// defaults, so a capacity always shows in the results and is gated.
/// </summary>
/// <remarks>
/// The baseline is <c>baselines/&lt;profile&gt;/capacity/&lt;test&gt;.json</c>, recorded and accepted as the latency
/// baseline is (PERF_BASELINE, <c>dotnet perf accept</c>); a run that fails any check never becomes one. A search
/// brackets the capacity between the highest rate within budget and the lowest that broke it, so a drop fails only
/// when even the breaking rate is below the baseline's capacity less <see cref="MaxDrop"/>; a drop the bracket leaves
/// open is a warning.
/// </remarks>
public sealed class CapacityCheck : IPerfCheck
{
    /// <summary>The capacity required, iterations per second within budget; <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public double? Minimum { get; init; }

    /// <summary>The drop of capacity against the baseline that fails the test, as a fraction.</summary>
    /// <value>The default value is 0.2: a capacity more than 20% below the baseline's fails.</value>
    public double MaxDrop { get; init; } = 0.2;

    /// <summary>Whether capacity is compared with (and recorded as) a baseline.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CompareWithBaseline { get; init; } = true;

    /// <summary>Decided after the other checks: a run that failed one never becomes a capacity baseline.</summary>
    public bool DecidesLast => true;

    /// <summary>Every problem with the settings; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Minimum is { } minimum && (!double.IsFinite(minimum) || minimum <= 0))
        {
            problems.Add($"The capacity check's Minimum is {Problems.Format(minimum)}; it must be a rate greater than zero, iterations per second (or unset for none).");
        }

        if (!double.IsFinite(MaxDrop) || MaxDrop is <= 0 or >= 1)
        {
            problems.Add($"The capacity check's MaxDrop is {Problems.Format(MaxDrop)}; it is a fraction between 0 and 1 (0.2, or MaxDropPercent = 20 on [CapacityBudget]: capacity more than 20% below the baseline's fails).");
        }

        return problems;
    }

    /// <inheritdoc />
    public ValueTask<CheckResult> EvaluateAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>(Validate());
        var notes = new List<string>();
        var items = new List<CheckItem>();
        var body = new List<CheckBlock>();
        if (context.Capacities.Count == 0)
        {
            problems.Add("The test has a capacity check but made no capacity search, so there is no capacity to check. Search it in the test body with Capacity.FindAsync(...), or remove the capacity check.");
        }

        foreach (var report in context.Capacities)
        {
            items.Add(Found(report));
            body.Add(new TextBlock([$"'{report.Scenario}': {Bracket(report)} ({Formatting.Plural(report.Steps.Count, "step", "steps")}, {Formatting.Duration(report.Elapsed)}); at the knee: {report.Bottleneck}"]));
            body.Add(Curve(report));
            if (report.TimedOut)
            {
                notes.Add($"The search of '{report.Scenario}' ran out of time (CapacityOptions.MaxDuration) before it bracketed the capacity to its precision; give it more time for a sharper figure.");
            }
        }

        string? received = null;
        if (CompareWithBaseline && context.Capacities.Count > 0 && problems.Count == 0)
        {
            received = Gate(context, items, problems, notes);
        }

        var failed = problems.Count > 0 || items.Any(i => i.Severity == CheckSeverity.Fail);
        var severity = failed ? CheckSeverity.Fail : items.Select(i => i.Severity).DefaultIfEmpty(CheckSeverity.Pass).Max();
        body.InsertRange(0, ItemBlocks.Of(items, "scenario", [0, 1, 3, 4, 5]));

        if (received is not null)
        {
            body.Add(OwnBaseline.ReceivedBlock(received));
        }

        return ValueTask.FromResult(new CheckResult
        {
            Title = "Capacity",
            Severity = severity,
            Headline = string.Join(", ", items.Where(i => i.Severity is CheckSeverity.Fail or CheckSeverity.Warn).Select(i => $"{i.Subject} {i.Check}: {i.Measured}")),
            Commands = OwnBaseline.AcceptCommand(received),
            Problems = problems,
            Items = items,
            Body = body,
            Notes = notes,
            Warnings = items.Where(i => i.Severity == CheckSeverity.Warn).Select(i => $"{i.Subject} {i.Check}: {i.Reason}").ToArray(),
            WhatToDo = failed && problems.Count == 0
                ? "Capacity is the highest arrival rate within the search's budgets: find what saturates first (the knee's signals above) and what changed since the baseline's commit. If the change is intended, accept the received capacity baseline."
                : null,
            Attachments = received is not null && File.Exists(received) ? [new CheckAttachment(Path.GetFileName(received), File.ReadAllText(received))] : [],
        });
    }

    private CheckItem Found(CapacityReport report)
    {
        var expected = Minimum is { } minimum ? $">= {Formatting.Rate(minimum)}" : "a rate within budget";
        if (report.WithinBudget is not { } within)
        {
            return new CheckItem
            {
                Severity = CheckSeverity.Fail,
                Subject = report.Scenario,
                Check = "capacity",
                Expected = expected,
                Measured = "none: even the start rate broke the budget",
                Evidence = Evidence(report),
                Verdict = "none",
                Reason = "Lower the search's StartRate, or find why the system breaks its budget under light load.",
            };
        }

        var belowMinimum = Minimum is { } required && within < required;
        return new CheckItem
        {
            Severity = belowMinimum ? CheckSeverity.Fail : CheckSeverity.Pass,
            Subject = report.Scenario,
            Check = "capacity",
            Expected = expected,
            Measured = Bracket(report),
            Evidence = Evidence(report),
            Verdict = belowMinimum ? "below" : "ok",
        };
    }

    /// <summary>Compares each search with the baseline and records or proposes one as the mode says; returns the received file written, if any.</summary>
    /// <remarks>A machine whose calibration takes longer is slower: the baseline's capacity is divided by the environment's factor.</remarks>
    private string? Gate(CheckContext context, List<CheckItem> items, List<string> problems, List<string> notes)
        => OwnBaseline.Gate(
            context,
            CapacityBaselineFile.Format,
            context.Capacities,
            report => report.Scenario,
            (report, before, factor) => [Compare(report, before, factor)],
            complete: context.Capacities.All(c => c.WithinBudget is not null),
            (keep, environment) => Build(context, environment, keep),
            items,
            problems,
            notes);

    /// <summary>
    /// Capacity lies between the highest rate within budget and the lowest that broke; the drop fails only when even
    /// the breaking rate is below the allowed floor, and warns when the bracket reaches below it.
    /// </summary>
    private CheckItem Compare(CapacityReport report, CapacityBaseline before, double factor)
    {
        var baseline = before.WithinBudget / factor;
        var floor = baseline * (1 - MaxDrop);
        var within = report.WithinBudget!.Value;
        var change = (within / baseline) - 1;
        var higher = before.Breaking is { } broke && within >= broke / factor;
        var (severity, verdict, reason) = report.Breaking is { } breaking && breaking <= floor
            ? (CheckSeverity.Fail, "Lower", $"capacity dropped {Formatting.Percent(-change)} from the baseline's {Formatting.Rate(baseline)}: even the lowest rate that broke the budget ({Formatting.Rate(breaking)}) is below the {Formatting.Percent(MaxDrop)} allowed drop ({Formatting.Rate(floor)})")
            : within < floor
                ? (CheckSeverity.Warn, "Lower?", $"the highest rate within budget is {Formatting.Percent(-change)} below the baseline's {Formatting.Rate(baseline)}, but the search's bracket reaches above the allowed floor ({Formatting.Rate(floor)}); search with a finer CapacityOptions.Precision to decide")
                : higher ? (CheckSeverity.Pass, "Higher", (string?)null) : (CheckSeverity.Pass, "Same", (string?)null);
        return new CheckItem
        {
            Severity = severity,
            Subject = report.Scenario,
            Check = "capacity vs baseline",
            Expected = $">= {Formatting.Rate(floor)} ({Formatting.Rate(baseline)} less {Formatting.Percent(MaxDrop)})",
            Measured = $"{Formatting.Rate(within)} ({Formatting.SignedPercent(change)})",
            Evidence = $"baseline {Formatting.Rate(baseline)}{(before.Breaking is { } b ? $", broke at {Formatting.Rate(b / factor)}" : string.Empty)}",
            Verdict = verdict,
            Reason = reason,
        };
    }

    private static CapacityBaselineFile Build(CheckContext context, EnvironmentFingerprint environment, CapacityBaselineFile? keep)
    {
        var searches = context.Capacities.Where(c => c.WithinBudget is not null).Select(CapacityBaseline.Of).ToList();
        searches.AddRange(keep?.Searches.Where(s => searches.All(n => !string.Equals(n.Scenario, s.Scenario, StringComparison.Ordinal))) ?? []);
        return new CapacityBaselineFile
        {
            Test = context.Test.FullName,
            Profile = context.Settings.Profile,
            Environment = environment,
            CalibrationMilliseconds = Math.Round(Calibration.Milliseconds, 3),
            Searches = searches.OrderBy(s => s.Scenario, StringComparer.Ordinal).ToList(),
        };
    }

    private static string Bracket(CapacityReport report)
        => (report.WithinBudget is { } within ? $"{Formatting.Rate(within)} within budget" : "nothing within budget")
            + (report.Breaking is { } breaking ? $", breaking at {Formatting.Rate(breaking)}" : report.TimedOut ? ", nothing broke before the search ran out of time" : ", nothing broke up to the highest rate tried");

    private static string Evidence(CapacityReport report)
        => string.Create(CultureInfo.InvariantCulture, $"{Formatting.Plural(report.Steps.Count, "step", "steps")}, {Formatting.Duration(report.Elapsed)}");

    /// <summary>The curve: each rate offered with what the system did.</summary>
    private static TableBlock Curve(CapacityReport report)
        => new(
            ["offered", "completed", "p95", "errors", "cpu (process / machine)", "thread-pool queue", "verdict"],
            report.Curve().Select(row => (IReadOnlyList<string>)[.. row.Cells, row.Step.WithinBudget ? "within" : $"broken: {row.Step.Broken}"]).ToArray())
        {
            LeftAligned = [6],
        };
}
