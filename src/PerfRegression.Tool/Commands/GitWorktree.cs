namespace PerfRegression.Tool.Commands;

/// <summary>The base of a comparison, checked out beside the working tree as a detached git worktree.</summary>
internal sealed class GitWorktree : IDisposable
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(5);
    private readonly string _repository;

    private GitWorktree(string repository, string path, string commit)
    {
        _repository = repository;
        Path = path;
        Commit = commit;
    }

    /// <summary>Where the base is checked out.</summary>
    public string Path { get; }

    /// <summary>The base's commit.</summary>
    public string Commit { get; }

    /// <summary>The top of the git working tree that holds <paramref name="directory"/>.</summary>
    public static string RepositoryOf(string directory)
    {
        var (code, output) = ChildProcess.Run("git", ["rev-parse", "--show-toplevel"], directory, GitTimeout);
        return code == 0
            ? output.Trim()
            : throw new PerfResultsException($"{directory} is not in a git working tree ({output.Trim()}): run dotnet perf ab in the repository whose change you compare.");
    }

    /// <summary>The commit <paramref name="reference"/> names in <paramref name="repository"/>.</summary>
    public static string Resolve(string repository, string reference)
    {
        var (code, output) = ChildProcess.Run("git", ["rev-parse", "--verify", "--quiet", reference + "^{commit}"], repository, GitTimeout);
        return code == 0
            ? output.Trim()
            : throw new PerfResultsException($"'{reference}' names no commit in {repository}: give a branch, tag or commit that exists here (in CI, fetch the base first, e.g. git fetch origin main --depth 1, and pass origin/main).");
    }

    /// <summary>Checks <paramref name="commit"/> out at <paramref name="path"/> (a leftover worktree there is removed first).</summary>
    public static GitWorktree Add(string repository, string path, string commit)
    {
        Remove(repository, path);
        var (code, output) = ChildProcess.Run("git", ["worktree", "add", "--detach", path, commit], repository, GitTimeout);
        return code == 0
            ? new GitWorktree(repository, path, commit)
            : throw new PerfResultsException($"The base {commit} could not be checked out at {path}: {output.Trim()}");
    }

    public void Dispose() => Remove(_repository, Path);

    private static void Remove(string repository, string path)
    {
        if (Directory.Exists(path))
        {
            ChildProcess.Run("git", ["worktree", "remove", "--force", path], repository, GitTimeout);
        }

        ChildProcess.Run("git", ["worktree", "prune"], repository, GitTimeout);
    }
}
