using System.Diagnostics;

namespace PerfRegression.Tool.Commands;

/// <summary>A command the tool runs (git, dotnet), its output kept in a log file, bounded in time.</summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="program"/> and returns its exit code and output; a run past <paramref name="timeout"/> is killed and reported.</summary>
    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null, string? logFile = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new PerfResultsException($"'{program}' could not be started ({ex.Message}): it must be on PATH.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Append($"dotnet perf: killed after {timeout.TotalMinutes:0.#} min (--timeout-minutes).");
            Flush();
            return (-1, output.ToString());
        }

        process.WaitForExit();
        Flush();
        return (process.ExitCode, output.ToString());

        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }

        void Flush()
        {
            if (logFile is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
                lock (output)
                {
                    File.WriteAllText(logFile, output.ToString());
                }
            }
        }
    }
}
