namespace PerfRegression;

/// <summary>
/// A further check of a performance test, decided after the body together with budgets and the
/// regression gate (for example the database findings of a query capture), so that a test fails once
/// with one sectioned message.
/// </summary>
internal interface IScopeCheck
{
    /// <summary>Decides the check on the test's load reports.</summary>
    ScopeCheckResult Evaluate(IReadOnlyList<LoadReport> reports);
}

/// <summary>The outcome of an <see cref="IScopeCheck"/>.</summary>
/// <param name="Title">The section's title, e.g. <c>Database</c>.</param>
/// <param name="Passed">Whether the test may pass as far as this check is concerned.</param>
/// <param name="Headline">When failed, what failed in a few words, e.g. <c>2 database findings</c>.</param>
/// <param name="Body">The section's text: tables and findings, each line indented by two spaces.</param>
/// <param name="WhatToDo">When failed, what to do about it.</param>
/// <param name="Warnings">Warnings for the test result.</param>
/// <param name="Attachments">Files for the test result, by name.</param>
internal sealed record ScopeCheckResult(
    string Title,
    bool Passed,
    string Headline,
    string Body,
    string? WhatToDo,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, string> Attachments);
