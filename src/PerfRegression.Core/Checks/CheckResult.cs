namespace PerfRegression.Checks;

/// <summary>What a check's result does to its test. Ordered from harmless to failing.</summary>
public enum CheckSeverity
{
    /// <summary>The check held.</summary>
    Pass,

    /// <summary>The test passes with a warning, e.g. a slowdown inside the warn band.</summary>
    Warn,

    /// <summary>The evidence did not decide either way, e.g. trials that overlap; the test passes, and the result says so instead of passing it off as a pass.</summary>
    Inconclusive,

    /// <summary>The test fails: a budget broke, a regression was confirmed, or the check could not be made.</summary>
    Fail,
}

/// <summary>
/// The one result shape of every check: a titled section of the verdict with its severity, a headline, the
/// problems that made it impossible, one item per thing checked, the section's body, notes, warnings, what to do,
/// and files. Every output (verdict text, results JSON, <c>summary.md</c>) renders it without knowing the check.
/// </summary>
public sealed record CheckResult
{
    private readonly CheckSeverity _severity;

    /// <summary>The section's title, e.g. <c>Budgets</c> or <c>Database</c>.</summary>
    public required string Title { get; init; }

    /// <summary>What the result does to the test. A result with <see cref="Problems"/> always fails: a check that could not be made never passes.</summary>
    public required CheckSeverity Severity
    {
        get => Problems.Count > 0 ? CheckSeverity.Fail : _severity;
        init => _severity = value;
    }

    /// <summary>What the check found, in a few words, e.g. <c>2 database findings</c>; the verdict's headline names it when the result fails or warns.</summary>
    /// <value>The default value is empty (nothing to name beyond the problems).</value>
    public string Headline { get; init; } = string.Empty;

    /// <summary>Why the check could not be made, one sentence each with the fix; each fails the test.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>One row per thing checked (a budget, a compared statistic, a finding), for summaries.</summary>
    public IReadOnlyList<CheckItem> Items { get; init; } = [];

    /// <summary>The section's body: tables and lines, in order.</summary>
    public IReadOnlyList<CheckBlock> Body { get; init; } = [];

    /// <summary>Information for the reader, e.g. that a baseline was recorded.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Warnings for the test result (they do not fail it).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>When the result fails or warns, what to do about it.</summary>
    public string? WhatToDo { get; init; }

    /// <summary>
    /// Commands the reader may run on the result, one line each with what it does first, e.g.
    /// <c>accept it: mv 'X.received.json' 'X.json'</c>. The files (results JSON, <c>summary.md</c>, the HTML report) show
    /// them in the check's section; the test's console shows each once, beside the test's name (a warning of a failed
    /// test, a diagnostic line of a passed one), and the failure message points there instead of repeating it.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>
    /// The result in a few words for the test's one-line result in the console, e.g. <c>p95 41 ms ≤ 500 ms</c> or
    /// <c>baseline: within 3%</c>.
    /// </summary>
    /// <value>The default value is empty: the one-line result then names the title and how many of the items held.</value>
    public string Brief { get; init; } = string.Empty;

    /// <summary>Files attached to the test result, e.g. a received baseline.</summary>
    public IReadOnlyList<CheckAttachment> Attachments { get; init; } = [];

    /// <summary>The check's own typed result for code that wants it (a <c>GateOutcome</c>, a <c>BudgetEvaluation</c>); no output reads it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public object? Details { get; init; }
}

/// <summary>One thing a check checked, as a summary row: its subject, what was expected and measured, on what evidence, and the verdict.</summary>
public sealed record CheckItem
{
    /// <summary>What this item does to the test.</summary>
    public required CheckSeverity Severity { get; init; }

    /// <summary>What was checked, e.g. a route name.</summary>
    public required string Subject { get; init; }

    /// <summary>The check, e.g. <c>p95 budget</c> or <c>p95 vs baseline</c>.</summary>
    public required string Check { get; init; }

    /// <summary>The limit or the reference value, as text.</summary>
    public string Expected { get; init; } = string.Empty;

    /// <summary>The measured value, as text.</summary>
    public string Measured { get; init; } = string.Empty;

    /// <summary>What the verdict rests on, e.g. <c>1,200 requests</c> or <c>5/5 trials, p=0.004</c>.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>The verdict in a word or two, e.g. <c>ok</c>, <c>broken</c>, <c>Slower</c>.</summary>
    public required string Verdict { get; init; }

    /// <summary>Why the verdict is what it is, in a sentence, when a word is not enough (an inconclusive or failed comparison); the summary shows it under the table.</summary>
    /// <value>The default value is <see langword="null"/> (the verdict speaks for itself).</value>
    public string? Reason { get; init; }
}

/// <summary>A file attached to the test result.</summary>
/// <param name="Name">The file name, e.g. <c>database-report.txt</c>.</param>
/// <param name="Content">The file's text.</param>
public sealed record CheckAttachment(string Name, string Content);
