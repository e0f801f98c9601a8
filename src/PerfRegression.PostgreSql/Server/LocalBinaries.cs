namespace PerfRegression.PostgreSql;

/// <summary>Finds the PostgreSQL server binaries (initdb, pg_ctl, postgres) installed on this machine.</summary>
internal static class LocalBinaries
{
    /// <summary>The directory holding the binaries, or <see langword="null"/> with the reason.</summary>
    public static string? Find(string? configured, out string reason)
    {
        reason = string.Empty;
        if (configured is not null)
        {
            return configured;
        }

        // Follow symlinks (Debian links /usr/local/bin/pg_ctl to /usr/lib/postgresql/15/bin): pg_ctl finds
        // postgres, and the server finds its extensions, relative to the real directory.
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "pg_ctl");
            if (File.Exists(candidate))
            {
                var real = File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? candidate;
                var realDirectory = Path.GetDirectoryName(real)!;
                if (File.Exists(Path.Combine(realDirectory, "initdb")) && File.Exists(Path.Combine(realDirectory, "postgres")))
                {
                    return realDirectory;
                }
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Directory, "pg_ctl")) && File.Exists(Path.Combine(d.Directory, "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Directory is not null)
            {
                return newest.Directory;
            }
        }

        reason = "no pg_ctl with initdb and postgres beside it on PATH, and none under /usr/lib/postgresql/*/bin";
        return null;
    }

    /// <summary>Whether the <c>pg_stat_statements</c> module is installed with these binaries.</summary>
    public static bool HasStatementStatistics(string binariesDirectory)
    {
        var lib = Path.GetFullPath(Path.Combine(binariesDirectory, "..", "lib"));
        return File.Exists(Path.Combine(lib, "pg_stat_statements.so"))
            || File.Exists(Path.Combine(lib, "postgresql", "pg_stat_statements.so"));
    }
}
