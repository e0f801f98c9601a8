using System.CommandLine;
using PerfRegression.Tool.Commands;

namespace PerfRegression.Tool.Cli;

/// <summary>
/// <c>dotnet perf</c>'s commands, parsed with System.CommandLine. Every command writes what it did to the output,
/// what went wrong to the error writer, and returns the exit code: 0 done, 1 a confirmed regression (or a failed
/// test), 2 the command could not do its work (bad arguments, missing or unreadable files; the message says which).
/// </summary>
internal static class PerfCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("dotnet perf: the tool around PerfRegression's performance tests: compare a change with its base in the same job, accept received baselines, compare two result folders, merge the results of parallel runs, write a run's performance report.")
        {
            AbCommand.Create(output, error),
            AcceptCommand.Create(output, error),
            CompareCommand.Create(output, error),
            ReportCommand.Create(output, error),
            MergeCommand.Create(output, error),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
