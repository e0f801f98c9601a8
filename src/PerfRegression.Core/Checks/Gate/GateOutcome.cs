using System.Globalization;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>What the regression gate concluded for one test: verdicts, problems, notes, and files touched.</summary>
public sealed class GateOutcome
{
    internal GateOutcome(
        string test,
        string baselinePath,
        string? receivedPath,
        bool baselineWritten,
        IReadOnlyList<StatisticComparison> comparisons,
        IReadOnlyList<string> problems,
        IReadOnlyList<string> notes,
        BaselineMode mode,
        string profile,
        GatePolicy policy)
    {
        Policy = policy;
        Test = test;
        BaselinePath = baselinePath;
        ReceivedPath = receivedPath;
        BaselineWritten = baselineWritten;
        Comparisons = comparisons;
        Problems = problems;
        Notes = notes;
        Mode = mode;
        Profile = profile;
    }

    /// <summary>Whether this compares a run with the run before a change (<see cref="GateComparison"/>) rather than with a baseline file.</summary>
    internal bool BeforeAndAfter { get; init; }

    /// <summary>The test's full name.</summary>
    public string Test { get; }

    /// <summary>The baseline file of the test.</summary>
    public string BaselinePath { get; }

    /// <summary>The received file written for review, if any.</summary>
    public string? ReceivedPath { get; }

    /// <summary>Whether the baseline file was (re)written by this run.</summary>
    public bool BaselineWritten { get; }

    /// <summary>Every statistic compared with the baseline.</summary>
    public IReadOnlyList<StatisticComparison> Comparisons { get; }

    /// <summary>Problems that fail the test: a missing baseline in strict mode, a corrupt file, a route that disappeared.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Information: environment differences and the policy applied, new routes, baselines recorded.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The baseline mode of the run.</summary>
    public BaselineMode Mode { get; }

    /// <summary>The profile of the run.</summary>
    public string Profile { get; }

    /// <summary>The policy the verdicts were decided with.</summary>
    public GatePolicy Policy { get; }

    /// <summary>Whether the gate fails the test.</summary>
    public bool Failed => Problems.Count > 0 || Comparisons.Any(c => c.Severity == CheckSeverity.Fail);

    /// <summary>The outcome as the test's <c>Baseline</c> section: each compared statistic with its evidence, the files, and what to do.</summary>
    internal CheckResult ToCheckResult()
    {
        var slower = Comparisons.Count(c => c.Severity == CheckSeverity.Fail);
        var warned = Comparisons.Count(c => c.Severity == CheckSeverity.Warn);
        var inconclusive = Comparisons.Count(c => c.Severity == CheckSeverity.Inconclusive);
        var severity = Comparisons.Select(c => c.Severity).DefaultIfEmpty(CheckSeverity.Pass).Max();
        var headline = new List<string>();
        if (slower > 0)
        {
            // Say the rule that was applied, not more: the estimate beyond the margin and a significant test (the
            // interval may still reach below the margin; the reason line says so when it does).
            headline.Add($"{Statistics(slower)} worse than the baseline ({Decided(CheckSeverity.Fail)}): estimated beyond the {Formatting.Percent(Policy.FailMargin)} fail margin and significantly worse (p < {Formatting.Number(Policy.Alpha, "0.####")})");
        }
        else
        {
            if (warned > 0)
            {
                headline.Add($"{Statistics(warned)} worse than the baseline, short of failing ({Decided(CheckSeverity.Warn)})");
            }

            if (inconclusive > 0)
            {
                headline.Add($"{Statistics(inconclusive)} inconclusive against the baseline ({Decided(CheckSeverity.Inconclusive)})");
            }
        }

        var body = new List<CheckBlock>();
        if (Comparisons.Count > 0)
        {
            body.Add(new TableBlock(
                ["route", "stat", BeforeAndAfter ? "before" : "baseline", BeforeAndAfter ? "after" : "current", "change", "95% interval", "trials", "requests", "verdict"],
                Comparisons.Select(c => (IReadOnlyList<string>)
                [
                    c.Route,
                    c.Statistic,
                    Value(c, c.Baseline),
                    Value(c, c.Current),
                    Change(c.Ratio),
                    double.IsNaN(c.RatioLower) ? "n/a (1 trial)" : $"{Formatting.SignedPercent(c.RatioLower - 1)} .. {Formatting.SignedPercent(c.RatioUpper - 1)}",
                    string.Create(CultureInfo.InvariantCulture, $"{c.Baseline.Count} / {c.Current.Count}"),
                    $"{Formatting.Count(c.BaselineSamples)} / {Formatting.Count(c.CurrentSamples)}",
                    VerdictCell(c),
                ]).ToArray())
            {
                LeftAligned = [1, 8],
            });
            var reasons = Comparisons.Where(c => c.Verdict != Verdict.Same).Select(c => $"{c.Route} {c.Statistic}: {c.Reason}.").ToArray();
            if (reasons.Length > 0)
            {
                body.Add(new TextBlock(reasons));
            }
        }
        else
        {
            // Point only at what is there: the notes or problems that say why, else say that nothing was comparable.
            body.Add(new TextBlock([Notes.Count > 0 ? "no comparison was made (see the notes)." : Problems.Count > 0 ? "no comparison was made (see the problems above)." : "no comparison was made: no statistic of this run had a baseline to compare with."]));
        }

        var commands = new List<string>();
        if (!BeforeAndAfter)
        {
            var files = new List<string> { "baseline: " + BaselinePath };
            if (ReceivedPath is { } received)
            {
                files.Add("received: " + received);
                commands.Add($"accept it: mv '{received}' '{BaselinePath}'");
            }

            body.Add(new TextBlock(files));
        }

        return new CheckResult
        {
            Title = BeforeAndAfter ? "Before and after the change" : $"Baseline ({Profile} profile, {Mode.ToString().ToLowerInvariant()} mode)",
            Severity = severity,
            Headline = string.Join(", ", headline),
            Problems = Problems,
            Items = Comparisons.Select(c => new CheckItem
            {
                Severity = c.Severity,
                Subject = c.Route,
                Check = $"{c.Statistic} vs {(BeforeAndAfter ? "before" : "baseline")}",
                Expected = Value(c, c.Baseline),
                Measured = $"{Value(c, c.Current)} ({Change(c.Ratio)}"
                    + (double.IsNaN(c.RatioLower) ? string.Empty : $", 95% {Formatting.SignedPercent(c.RatioLower - 1)}..{Formatting.SignedPercent(c.RatioUpper - 1)}") + ")",
                Evidence = string.Create(CultureInfo.InvariantCulture, $"{c.Baseline.Count}/{c.Current.Count} trials") + (double.IsNaN(c.PValueSlower) ? string.Empty : $", p={Formatting.Number(c.PValueSlower, "0.####")}"),
                Verdict = c.Verdict.ToString(),
                Reason = c.Verdict == Verdict.Same ? null : c.Reason,
            }).ToArray(),
            Body = body,
            Notes = Notes,
            Warnings = Comparisons.Where(c => c.Severity is CheckSeverity.Warn or CheckSeverity.Inconclusive)
                .Select(c => $"{c.Route} {c.Statistic} {c.Verdict}: {c.Reason}.")
                .Concat(Notes)
                .ToArray(),
            Commands = commands,
            Brief = Brief(),
            WhatToDo = slower > 0
                ? "Find what made the route slower or costlier (compare with the baseline's commit). If the change is intended, accept the received baseline (see accept it above, or run dotnet perf accept) and commit it with the change."
                : inconclusive > 0 ? "An inconclusive statistic is evidence neither way; its reason and the notes say what would decide it (most often, a re-run on a quiet machine)." : null,
            Attachments = ReceivedPath is { } path && File.Exists(path) ? [new CheckAttachment(System.IO.Path.GetFileName(path), File.ReadAllText(path))] : [],
            Details = this,
        };
    }

    /// <summary>The comparison in a few words: how far the statistics moved when all are the same, else each one that is not.</summary>
    private string Brief()
    {
        var against = BeforeAndAfter ? "before" : "baseline";
        if (Comparisons.Count == 0)
        {
            return Problems.Count > 0 ? $"{against}: not compared (a problem)"
                : BaselineWritten ? $"{against}: recorded"
                : ReceivedPath is not null ? $"{against}: none, proposed one"
                : $"{against}: not compared";
        }

        var different = Comparisons.Where(c => c.Verdict != Verdict.Same).ToArray();
        if (different.Length == 0)
        {
            var moved = Comparisons.Select(c => c.Ratio).Where(double.IsFinite).Select(r => Math.Abs(r - 1)).DefaultIfEmpty(0).Max();
            return $"{against}: same (within {Formatting.Percent(moved)})";
        }

        return $"{against}: " + string.Join(", ", different.Select(c => $"{c.Route} {c.Statistic} {Change(c.Ratio)} {c.Verdict}"));
    }

    /// <summary>The statistics of that severity, named as the verdict lists them: which evidence decided.</summary>
    private string Decided(CheckSeverity severity)
        => string.Join(", ", Comparisons.Where(c => c.Severity == severity).Select(c => $"{c.Route} {c.Statistic}").Distinct(StringComparer.Ordinal));

    /// <summary>The median of a statistic's trial values, in its unit.</summary>
    private static string Value(StatisticComparison c, IReadOnlyList<double> values) => GateStatistic.Of(c.Statistic).Format(RegressionComparer.Median(values));

    private static string Change(double ratio) => double.IsPositiveInfinity(ratio) ? "new" : Formatting.SignedPercent(ratio - 1);

    private static string VerdictCell(StatisticComparison c) => c.Severity switch
    {
        CheckSeverity.Fail => $"{c.Verdict}: FAIL",
        CheckSeverity.Warn or CheckSeverity.Inconclusive => $"{c.Verdict}: warn",
        _ => c.Verdict.ToString(),
    };

    private static string Statistics(int count) => count == 1 ? "1 statistic" : string.Create(CultureInfo.InvariantCulture, $"{count} statistics");
}
