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

        foreach (var warning in verdict.RunWarnings.Concat(verdict.Results.SelectMany(r => r.Warnings)).Distinct(StringComparer.Ordinal))
        {
            host.AddWarning(warning);
        }

        foreach (var attachment in verdict.Results.SelectMany(r => r.Attachments))
        {
            host.Attach(attachment.Name, attachment.Content);
        }

        host.WriteLine(verdict.Text);
        try
        {
            var results = session.Settings.ResultsDirectoryFor(session.Test.Directory);
            var baselines = session.Settings.BaselineDirectoryFor(session.Test.Directory);
            ResultsWriter.Write(results, session.Test.FileName, verdict, TestRun.Current, trials, () => HtmlReport.WriteRun(results, TestRun.Current, baselines));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PerfConfigurationException)
        {
            host.AddWarning($"The performance results could not be written ({ex.Message}); the verdict itself is unaffected.");
        }
    }
}
