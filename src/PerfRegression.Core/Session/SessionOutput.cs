using System.Globalization;

namespace PerfRegression.Session;

/// <summary>Where a finished session's verdict goes: the test's output, warnings and attachments, and the results directory.</summary>
internal static class SessionOutput
{
    public static void Publish(PerfSession session, TestVerdict verdict, IReadOnlyList<LoadReport> reports, IReadOnlyList<ScenarioTrials> trials)
    {
        var host = session.Host;
        for (var i = 0; i < reports.Count; i++)
        {
            host.Attach(reports.Count == 1 ? "load-report.json" : string.Create(CultureInfo.InvariantCulture, $"load-report-{i + 1}.json"), reports[i].ToJson());
        }

        foreach (var attachment in verdict.Results.SelectMany(r => r.Attachments))
        {
            host.Attach(attachment.Name, attachment.Content);
        }

        var warnings = verdict.RunWarnings.Concat(verdict.Results.SelectMany(r => r.Warnings)).Distinct(StringComparer.Ordinal).ToArray();
        var commands = verdict.Results.SelectMany(r => r.Commands).Distinct(StringComparer.Ordinal).ToArray();
        if (verdict.Passed)
        {
            // dotnet test hides a passed test's output unless asked for detailed verbosity, where it prints it once. The one
            // line, the warnings and the commands are announced (xUnit: diagnostic messages), shown once at every
            // verbosity. Not as the test's warnings: xUnit's runner echoes the output of a passed test that has warnings,
            // and dotnet test at detailed verbosity then prints the whole verdict twice.
            host.WriteLine(VerdictText.RenderForConsole(verdict));
            host.Announce(VerdictText.OneLine(verdict));
            foreach (var line in warnings.Select(w => "  ! " + w).Concat(commands.Select(c => "  " + c)))
            {
                host.Announce(line);
            }
        }
        else
        {
            // The failure message is the verdict (dotnet test prints it once, twice at detailed verbosity, as it does the
            // output): the output keeps the runs only. Warnings and commands are the test's warnings, printed once at
            // every verbosity, so the command that accepts a received baseline is printed once.
            foreach (var line in warnings.Concat(commands))
            {
                host.AddWarning(line);
            }
        }

        try
        {
            var results = session.Settings.ResultsDirectoryFor(session.Test.Directory);
            var baselines = session.Settings.BaselineDirectoryFor(session.Test.Directory);
            ResultsWriter.Write(results, session.Test.FileName, verdict, TestRun.Current, trials, () => HtmlReport.WriteRun(results, TestRun.Current, baselines));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PerfConfigurationException)
        {
            var warning = $"The performance results could not be written ({ex.Message}); the verdict itself is unaffected.";
            if (verdict.Passed)
            {
                host.Announce("  ! " + warning);
            }
            else
            {
                host.AddWarning(warning);
            }
        }
    }
}
