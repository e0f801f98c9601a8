using PerfRegression.Tool.Cli;

namespace PerfRegression.Tool.Tests.Support;

/// <summary>Runs <c>dotnet perf</c> in process, as a user types it, and keeps what it printed.</summary>
public static class PerfTool
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = PerfCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
