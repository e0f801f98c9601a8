namespace PerfRegression;

/// <summary>What the baseline gate does with baseline files, set by the environment variable <c>PERF_BASELINE</c>.</summary>
public enum BaselineMode
{
    /// <summary><c>compare</c> (the default): compare with the baseline; a missing baseline is recorded (except under CI, where it is only proposed as a received file).</summary>
    Compare,

    /// <summary><c>update</c>: record new baselines (several trials, so their spread is known), unless a budget fails.</summary>
    Update,

    /// <summary><c>strict</c>: what CI uses. A missing baseline fails the test; no baseline is ever written, only received files.</summary>
    Strict,

    /// <summary>
    /// <c>extend</c>: record this process's trials and add them to the baseline's (a missing baseline is recorded),
    /// unless a check fails. Trials of one process agree more closely than two processes do; a baseline extended
    /// in a few processes (e.g. <c>update</c>, then <c>extend</c> twice) has the spread a comparison from another
    /// process meets, so that drift between processes is not taken for a regression.
    /// </summary>
    Extend,
}

/// <summary>
/// The settings a run takes from its environment, read once and validated with one message:
/// <c>PERF_BASELINE</c> (compare | update | strict | extend), <c>PERF_PROFILE</c> (pr | full),
/// <c>PERF_BASELINE_DIR</c> (where baselines live), <c>PERF_RESULTS_DIR</c> (where results go),
/// <c>PERF_ENVIRONMENT_POLICY</c> (normalize | absolute-only | compare).
/// </summary>
public sealed record PerfSettings
{
    /// <summary>The baseline mode variable.</summary>
    public const string BaselineVariable = "PERF_BASELINE";

    /// <summary>The profile variable.</summary>
    public const string ProfileVariable = "PERF_PROFILE";

    /// <summary>The baseline directory variable.</summary>
    public const string BaselineDirectoryVariable = "PERF_BASELINE_DIR";

    /// <summary>The results directory variable.</summary>
    public const string ResultsDirectoryVariable = "PERF_RESULTS_DIR";

    /// <summary>The environment-policy variable.</summary>
    public const string EnvironmentPolicyVariable = "PERF_ENVIRONMENT_POLICY";

    private const string BaselinesFolder = "baselines";

    private static readonly Lazy<PerfSettings> FromProcess = new(() => FromEnvironment(Environment.GetEnvironmentVariable));

    /// <summary>The baseline mode. The default is <see cref="BaselineMode.Compare"/>.</summary>
    public BaselineMode Mode { get; init; } = BaselineMode.Compare;

    /// <summary>The load profile name: <c>pr</c> (the default, short), <c>full</c> (the seed stories' length) or <c>soak</c> (held long, for leaks). Each keeps its own baselines.</summary>
    public string Profile { get; init; } = "pr";

    /// <summary>An explicit baseline directory, or <see langword="null"/> to use <c>baselines/</c> at the repository root.</summary>
    public string? BaselineDirectory { get; init; }

    /// <summary>An explicit results directory, or <see langword="null"/> to use <c>artifacts/perf/</c> at the repository root.</summary>
    public string? ResultsDirectory { get; init; }

    /// <summary>What to do when the baseline was recorded in another environment. The default is <see cref="EnvironmentPolicy.Normalize"/>.</summary>
    public EnvironmentPolicy EnvironmentPolicy { get; init; } = EnvironmentPolicy.Normalize;

    /// <summary>Whether this is a CI run (<c>CI=true</c>), where compare mode never writes a baseline.</summary>
    public bool IsCi { get; init; }

    /// <summary>The settings of this process, read once from its environment.</summary>
    /// <exception cref="PerfConfigurationException">A variable has a value that is not allowed; the message lists every one.</exception>
    public static PerfSettings Current => FromProcess.Value;

    /// <summary>Reads the settings through <paramref name="read"/> (an environment), validating every variable.</summary>
    public static PerfSettings FromEnvironment(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var problems = new Problems();
        var mode = Parse(read, BaselineVariable, BaselineMode.Compare, problems, ("compare", BaselineMode.Compare), ("update", BaselineMode.Update), ("strict", BaselineMode.Strict), ("extend", BaselineMode.Extend));
        var profile = Parse(read, ProfileVariable, "pr", problems, ("pr", "pr"), ("full", "full"), ("soak", "soak"));
        var policy = Parse(read, EnvironmentPolicyVariable, EnvironmentPolicy.Normalize, problems, ("normalize", EnvironmentPolicy.Normalize), ("absolute-only", EnvironmentPolicy.AbsoluteOnly), ("compare", EnvironmentPolicy.Compare));
        problems.ThrowIfAny("The environment (its PERF_* variables)");
        return new PerfSettings
        {
            Mode = mode,
            Profile = profile,
            EnvironmentPolicy = policy,
            BaselineDirectory = NullIfEmpty(read(BaselineDirectoryVariable)),
            ResultsDirectory = NullIfEmpty(read(ResultsDirectoryVariable)),
            IsCi = string.Equals(read("CI"), "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>Every problem with these settings, one sentence each; empty when valid.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Profile) || Profile.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\', ' ']) >= 0)
        {
            problems.Add($"Profile is '{Profile}'; it names the baselines' folder, so it must be a plain word such as pr, full or soak.");
        }

        if (!Enum.IsDefined(Mode))
        {
            problems.Add($"Mode is {(int)Mode}, which is not a BaselineMode. Use Compare, Update, Strict or Extend.");
        }

        if (!Enum.IsDefined(EnvironmentPolicy))
        {
            problems.Add($"EnvironmentPolicy is {(int)EnvironmentPolicy}, which is not an EnvironmentPolicy. Use Normalize, AbsoluteOnly or Compare.");
        }

        return problems;
    }

    /// <summary>
    /// Where baselines live: <see cref="BaselineDirectory"/> when set, else <c>baselines/</c> at the repository root
    /// found above <paramref name="start"/> (usually the test assembly's directory).
    /// </summary>
    /// <exception cref="PerfConfigurationException">No repository root is above <paramref name="start"/>; the message says what to set.</exception>
    public string BaselineDirectoryFor(string start)
        => BaselineDirectory is { } configured ? Path.GetFullPath(configured) : Path.Combine(RepositoryRoot(start), BaselinesFolder);

    /// <summary>
    /// Where results go: <see cref="ResultsDirectory"/> when set, else <c>artifacts/perf/</c> at the repository root
    /// found above <paramref name="start"/>.
    /// </summary>
    /// <exception cref="PerfConfigurationException">No repository root is above <paramref name="start"/>; the message says what to set.</exception>
    public string ResultsDirectoryFor(string start)
        => ResultsDirectory is { } configured ? Path.GetFullPath(configured) : Path.Combine(RepositoryRoot(start), "artifacts", "perf");

    /// <summary>The nearest directory above <paramref name="start"/> holding <c>baselines/</c>, else <c>.git</c> or a solution file.</summary>
    internal static string RepositoryRoot(string start)
    {
        string? fallback = null;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, BaselinesFolder)))
            {
                return dir.FullName;
            }

            if (fallback is null && (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")) || dir.EnumerateFiles("*.sln*").Any()))
            {
                fallback = dir.FullName;
            }
        }

        return fallback ?? throw new PerfConfigurationException(
            $"No repository root was found above {start} (a directory holding '{BaselinesFolder}/', '.git' or a solution file), so there is no place for baselines and results. "
            + $"Set {BaselineDirectoryVariable} and {ResultsDirectoryVariable} to the directories to use.");
    }

    /// <summary>
    /// Problems with the directories set explicitly: a baseline or results directory that is a file or lies under one,
    /// a results directory that cannot be created. Checked when a session starts, so a test fails before it runs rather
    /// than losing its baseline or results at the end. (The results directory is created here: it is written anyway.)
    /// </summary>
    internal IReadOnlyList<string> ValidateDirectories()
    {
        var problems = new List<string>();
        if (BaselineDirectory is { } baselines && PathProblem(baselines) is { } baselineProblem)
        {
            problems.Add($"The baseline directory ({BaselineDirectoryVariable} or PerfSettings.BaselineDirectory) is '{baselines}', {baselineProblem}. Point it at a directory (created when missing), or unset it for {BaselinesFolder}/ at the repository root.");
        }

        if (ResultsDirectory is { } results)
        {
            if (PathProblem(results) is { } resultsProblem)
            {
                problems.Add($"The results directory ({ResultsDirectoryVariable} or PerfSettings.ResultsDirectory) is '{results}', {resultsProblem}. Point it at a directory (created when missing), or unset it for artifacts/perf/ at the repository root.");
            }
            else
            {
                try
                {
                    Directory.CreateDirectory(results);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problems.Add($"The results directory ({ResultsDirectoryVariable} or PerfSettings.ResultsDirectory) is '{results}', which cannot be created ({ex.Message}). Point it at a writable directory, or unset it for artifacts/perf/ at the repository root.");
                }
            }
        }

        return problems;
    }

    /// <summary>Why <paramref name="directory"/> cannot be a directory: it is a file, or a file stands where one of its parents would be.</summary>
    private static string? PathProblem(string directory)
    {
        string full;
        try
        {
            full = Path.GetFullPath(directory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"which is not a valid path ({ex.Message})";
        }

        if (File.Exists(full))
        {
            return "which is a file";
        }

        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                return $"under the file '{parent}'";
            }
        }

        return null;
    }

    private static T Parse<T>(Func<string, string?> read, string variable, T fallback, Problems problems, params (string Name, T Value)[] allowed)
    {
        var text = read(variable)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        foreach (var (name, value) in allowed)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        problems.Add($"{variable} is '{text}'; allowed values are {string.Join(", ", allowed.Select(a => a.Name))}. Unset it for the default, {allowed[0].Name}.");
        return fallback;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>What the gate does when the baseline was recorded in a different environment.</summary>
public enum EnvironmentPolicy
{
    /// <summary><c>normalize</c> (the default): scale the baseline by the calibration workload's speed ratio, then compare; the verdict says so.</summary>
    Normalize,

    /// <summary><c>absolute-only</c>: skip the relative check; only absolute budgets apply. The verdict says so.</summary>
    AbsoluteOnly,

    /// <summary><c>compare</c>: compare as if the environments matched (the verdict still lists the differences).</summary>
    Compare,
}
