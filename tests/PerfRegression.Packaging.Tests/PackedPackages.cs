using System.Diagnostics;

namespace PerfRegression.Packaging.Tests;

/// <summary>
/// The packages under test, packed once for the assembly: the folder named by <c>PERF_PACKAGES_DIR</c> when set (CI packs
/// the solution there before the tests), else a <c>dotnet pack -c Release</c> of every packable project of <c>src/</c>
/// into a temporary folder. A pack that fails is rethrown in every test with its output, never a skip.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    /// <summary>The packages the repository ships, by id.</summary>
    public static readonly string[] Ids =
        ["PerfRegression.Core", "PerfRegression.PostgreSql", "PerfRegression.FluentAssertions", "PerfRegression.BenchmarkDotNet", "PerfRegression.Tool"];

    static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    Exception? failure;
    string? ownFolder;

    public string Folder { get; private set; } = "";

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public PackageFile Package(string id)
    {
        if (failure is not null) throw new InvalidOperationException("The packages could not be packed.", failure);
        var matches = Directory.GetFiles(Folder, id + ".*.nupkg")
            .Where(path => PackageFile.IdOf(path) == id)
            .ToArray();
        return matches.Length switch
        {
            1 => PackageFile.Open(matches[0]),
            0 => throw new InvalidOperationException($"No {id}.*.nupkg in {Folder}: the pack did not produce it. Files there: {string.Join(", ", Directory.GetFiles(Folder).Select(Path.GetFileName))}"),
            _ => throw new InvalidOperationException($"{matches.Length} versions of {id} in {Folder} ({string.Join(", ", matches.Select(Path.GetFileName))}): empty the folder and pack again, so that the test inspects one."),
        };
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            var given = Environment.GetEnvironmentVariable("PERF_PACKAGES_DIR");
            if (!string.IsNullOrWhiteSpace(given))
            {
                if (!Directory.Exists(given))
                    throw new DirectoryNotFoundException($"PERF_PACKAGES_DIR names '{given}', which does not exist: pack into it first (dotnet pack -c Release -o \"{given}\") or unset it.");
                Folder = Path.GetFullPath(given);
                return;
            }

            ownFolder = Directory.CreateTempSubdirectory("perfregression-packages-").FullName;
            Folder = ownFolder;
            foreach (var project in Directory.GetDirectories(Path.Combine(RepositoryRoot, "src")).Order(StringComparer.Ordinal))
                await PackAsync(project, Folder);
        }
        catch (Exception e)
        {
            failure = e;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (ownFolder is not null)
        {
            try { Directory.Delete(ownFolder, recursive: true); }
            catch (IOException) { /* a temporary folder; the next run makes its own */ }
        }
        return ValueTask.CompletedTask;
    }

    static async Task PackAsync(string project, string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "pack", project, "-c", "Release", "-o", output, "--nologo", "-v", "q" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PackTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet pack {project} did not finish within {PackTimeout.TotalMinutes} minutes.");
        }
        var log = await stdout + await stderr;
        if (process.ExitCode != 0 || log.Contains("warning", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"dotnet pack {project} -c Release exited with {process.ExitCode}; a pack must succeed with no warning. Its output:\n{log}");
    }

    static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PerfRegression.sln"))) return folder.FullName;
        }
        throw new DirectoryNotFoundException($"PerfRegression.sln was not found above {AppContext.BaseDirectory}: the packaging tests run from the repository's build output.");
    }
}
