using System.Globalization;
using System.Text;
using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// Renders a verdict as text: the headline, the problems that made checks impossible, each check's section, the
/// runs, warnings, and what to do. The same text is the failure message, the test output and the results' text.
/// It renders every <see cref="CheckResult"/> the same way and knows no check by name.
/// </summary>
public static class VerdictText
{
    private const string Indent = "  ";

    /// <summary>The verdict in one sentence: passed or failed, for which test and scenarios, and what failed or warned.</summary>
    public static string Headline(TestVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var scenarios = string.Join(", ", verdict.Runs.Select(r => $"'{r.Scenario}'").Distinct(StringComparer.Ordinal));
        var subject = (verdict.Test is null ? string.Empty : " for " + verdict.Test) + (scenarios.Length == 0 ? string.Empty : $" (scenario {scenarios})");
        if (!verdict.Passed)
        {
            var parts = verdict.Results.Where(r => r.Severity == CheckSeverity.Fail && r.Headline.Length > 0).Select(r => r.Headline).ToList();
            var problems = Problems(verdict).Length;
            if (problems > 0)
            {
                parts.Add(Formatting.Plural(problems, "problem", "problems"));
            }

            return $"Performance check failed{subject}: {string.Join(", ", parts)}.";
        }

        var warnings = verdict.Results.Where(r => r.Severity is CheckSeverity.Warn or CheckSeverity.Inconclusive && r.Headline.Length > 0).Select(r => r.Headline).ToArray();
        return warnings.Length == 0
            ? $"Performance check passed{subject}."
            : $"Performance check passed{subject}, with warnings: {string.Join(", ", warnings)}.";
    }

    /// <summary>
    /// The verdict in one line, as the console shows a test that passed: <c>PASS PlanTests.Calendar · 12,004 requests ·
    /// p95 41 ms ≤ 500 ms · baseline: same (within 3%)</c>, each check in a few words (<see cref="CheckResult.Brief"/>).
    /// </summary>
    internal static string OneLine(TestVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var status = verdict.Severity switch
        {
            CheckSeverity.Fail => "FAIL",
            CheckSeverity.Inconclusive => "PASS (inconclusive)",
            CheckSeverity.Warn => "PASS (warn)",
            _ => "PASS",
        };
        var parts = new List<string> { $"{status} {verdict.Test ?? "(unnamed test)"}" };
        if (verdict.Runs.Count > 0)
        {
            parts.Add(Formatting.Plural(verdict.Runs.Sum(r => r.Requests), "request", "requests"));
        }

        foreach (var result in verdict.Results)
        {
            var brief = result.Brief.Length > 0 ? result.Brief
                : result.Items.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"{result.Title}: {result.Items.Count(i => i.Severity == CheckSeverity.Pass)} of {result.Items.Count} ok")
                : string.Empty;
            if (brief.Length > 0)
            {
                parts.Add(brief);
            }
        }

        return string.Join(" · ", parts);
    }

    /// <summary>The whole sectioned verdict, with each check's commands in its section (as the results files keep it).</summary>
    public static string Render(TestVerdict verdict) => Render(verdict, commandsInline: true);

    /// <summary>
    /// The verdict as the test's console shows it (the failure message, the output): each check's commands are printed
    /// once beside the test's result by the session, so the section only says where. The failure
    /// message and the output are each echoed twice by <c>dotnet test</c> at detailed verbosity; a command is not.
    /// </summary>
    internal static string RenderForConsole(TestVerdict verdict) => Render(verdict, commandsInline: false);

    /// <summary>What a section shows in place of a command in the console: the command's purpose and where it is printed.</summary>
    internal static string CommandPointer(string command)
    {
        var colon = command.IndexOf(':', StringComparison.Ordinal);
        var purpose = colon > 0 ? command[..colon] : "run";
        return $"{purpose}: the command is printed once beside this test's result in the console, and kept in summary.md";
    }

    private static string Render(TestVerdict verdict, bool commandsInline)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var text = new StringBuilder(Headline(verdict)).Append('\n');
        var problems = Problems(verdict);
        if (problems.Length > 0)
        {
            text.Append("\nProblems\n");
            foreach (var problem in problems)
            {
                text.Append(Indent).Append("- ").Append(problem).Append('\n');
            }
        }

        foreach (var result in verdict.Results.Where(r => r.Body.Count > 0 || r.Notes.Count > 0 || r.Commands.Count > 0))
        {
            text.Append('\n').Append(Section(result, commandsInline));
        }

        AppendRuns(text, verdict);
        AppendWhatToDo(text, verdict, problems.Length > 0);
        return text.ToString();
    }

    /// <summary>
    /// The Markdown summary of <paramref name="verdicts"/>, as <c>summary.md</c> shows a test run: a row per checked
    /// item with its mark, why each row that is not a plain pass is so, and the whole verdict of each failed test.
    /// </summary>
    public static string Markdown(IReadOnlyList<TestVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        return ResultsWriter.RenderMarkdown(verdicts);
    }

    /// <summary>One check's section: its title, then its body, commands and notes, indented.</summary>
    public static string Section(CheckResult result) => Section(result, commandsInline: true);

    private static string Section(CheckResult result, bool commandsInline)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder(result.Title).Append('\n');
        foreach (var block in result.Body)
        {
            Append(text, block);
        }

        foreach (var command in result.Commands)
        {
            text.Append(Indent).Append(commandsInline ? command : CommandPointer(command)).Append('\n');
        }

        foreach (var note in result.Notes)
        {
            text.Append(Indent).Append("note: ").Append(note).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One block as a section shows it: its lines or its table, indented by two spaces per level (one for level 0).</summary>
    public static string Render(CheckBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var text = new StringBuilder();
        Append(text, block);
        return text.ToString();
    }

    private static void Append(StringBuilder text, CheckBlock block)
    {
        var indent = Indent + string.Concat(Enumerable.Repeat(Indent, Math.Max(0, block.Indent)));
        switch (block)
        {
            case TextBlock lines:
                foreach (var line in lines.Lines)
                {
                    text.Append(indent).Append(line).Append('\n');
                }

                break;
            case TableBlock table:
                var rendered = new TextTable([.. table.Header]);
                foreach (var column in table.LeftAligned)
                {
                    rendered.LeftAlign(column);
                }

                foreach (var row in table.Rows)
                {
                    rendered.Add([.. row]);
                }

                rendered.WriteTo(text, indent);
                break;
        }
    }

    private static string[] Problems(TestVerdict verdict)
        => verdict.Results.SelectMany(r => r.Problems).Distinct(StringComparer.Ordinal).ToArray();

    private static void AppendRuns(StringBuilder text, TestVerdict verdict)
    {
        if (verdict.Runs.Count > 0)
        {
            text.Append("\nRun\n");
            foreach (var run in verdict.Runs)
            {
                var trials = run.Trials > 1 ? string.Create(CultureInfo.InvariantCulture, $" · {run.Trials} trials") : string.Empty;
                text.Append(CultureInfo.InvariantCulture, $"{Indent}'{run.Scenario}' · target {run.Target} · {run.LoadProfile} · measured {Formatting.Duration(run.Duration)}{trials} · {Formatting.Count(run.Requests)} requests, {Formatting.Percent(run.ErrorRate)} errors\n");
            }
        }

        if (verdict.RunWarnings.Count > 0)
        {
            text.Append("\nWarnings (they may explain the result)\n");
            foreach (var warning in verdict.RunWarnings)
            {
                text.Append(Indent).Append("! ").Append(warning).Append('\n');
            }
        }
    }

    private static void AppendWhatToDo(StringBuilder text, TestVerdict verdict, bool problems)
    {
        var advice = verdict.Results
            .Where(r => r.Severity != CheckSeverity.Pass && r.WhatToDo is not null)
            .Select(r => r.WhatToDo!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (problems)
        {
            advice.Insert(0, "Fix the problems above; a check that cannot be made never passes.");
        }

        if (advice.Count == 0)
        {
            return;
        }

        text.Append("\nWhat to do\n");
        foreach (var line in advice)
        {
            text.Append(Indent).Append(line).Append('\n');
        }
    }
}
