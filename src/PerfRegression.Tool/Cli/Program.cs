namespace PerfRegression.Tool.Cli;

/// <summary>The entry point of <c>dotnet perf</c>.</summary>
internal static class Program
{
    private static int Main(string[] args) => PerfCli.Run(args, Console.Out, Console.Error);
}
