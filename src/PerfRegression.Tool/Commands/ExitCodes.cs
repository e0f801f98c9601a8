namespace PerfRegression.Tool.Commands;

/// <summary>What a command's exit code means.</summary>
internal static class ExitCodes
{
    /// <summary>The command did its work, and nothing it compared regressed.</summary>
    public const int Done = 0;

    /// <summary>A comparison confirmed a regression, or merged results hold a failed test.</summary>
    public const int Regression = 1;

    /// <summary>The command could not do its work: bad arguments, missing or unreadable files.</summary>
    public const int Unusable = 2;

    /// <summary>Runs <paramref name="work"/>; a results problem is written to <paramref name="error"/> and becomes <see cref="Unusable"/>.</summary>
    public static int Guard(TextWriter error, Func<int> work)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (ex is PerfResultsException or PerfConfigurationException)
        {
            error.WriteLine(ex.Message);
            return Unusable;
        }
    }
}
