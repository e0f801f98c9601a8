namespace PerfRegression.Tests.BadInputs;

/// <summary>The PERF_* environment variables with values that are not allowed.</summary>
internal sealed class SettingsInputs : IBadInputSource
{
    private const string Area = "environment";

    public IEnumerable<BadInput> Inputs =>
    [
        Variable("PERF_BASELINE", "updtae", "PERF_BASELINE is 'updtae'; allowed values are compare, update, strict, extend. Unset it for the default, compare."),
        Variable("PERF_BASELINE", "true", "PERF_BASELINE is 'true'; allowed values are compare, update, strict, extend. Unset it for the default, compare."),
        Variable("PERF_PROFILE", "nightly", "PERF_PROFILE is 'nightly'; allowed values are pr, full, soak. Unset it for the default, pr."),
        Variable("PERF_PROFILE", "../pr", "PERF_PROFILE is '../pr'; allowed values are pr, full, soak. Unset it for the default, pr."),
        Variable("PERF_ENVIRONMENT_POLICY", "normalise", "PERF_ENVIRONMENT_POLICY is 'normalise'; allowed values are normalize, absolute-only, compare. Unset it for the default, normalize."),
        BadInput.Sync(Area, "three garbage variables at once", () => PerfSettings.FromEnvironment(new Dictionary<string, string?>
            {
                ["PERF_BASELINE"] = "x",
                ["PERF_PROFILE"] = "y",
                ["PERF_ENVIRONMENT_POLICY"] = "z",
            }.GetValueOrDefault),
            "The environment (its PERF_* variables) has 3 problems:",
            "PERF_BASELINE is 'x'",
            "PERF_PROFILE is 'y'",
            "PERF_ENVIRONMENT_POLICY is 'z'"),
        new(Area, "PERF_BASELINE_DIR=<a file>", WithDirectoryVariable(PerfSettings.BaselineDirectoryVariable, Placement.File),
            "The baseline directory (PERF_BASELINE_DIR or PerfSettings.BaselineDirectory) is '", "', which is a file. Point it at a directory (created when missing), or unset it for baselines/ at the repository root."),
        new(Area, "PERF_BASELINE_DIR=<a path under a file>", WithDirectoryVariable(PerfSettings.BaselineDirectoryVariable, Placement.UnderFile),
            "The baseline directory (PERF_BASELINE_DIR or PerfSettings.BaselineDirectory) is '", "', under the file '", "Point it at a directory (created when missing), or unset it for baselines/ at the repository root."),
        new(Area, "PERF_BASELINE_DIR=<unwritable> with PERF_BASELINE=update", WithDirectoryVariable(PerfSettings.BaselineDirectoryVariable, Placement.Unwritable, "update"),
            "The baseline could not be written to /proc/1/perfregression-baselines/pr/BadInputTests.Gated.json", "PERF_BASELINE=update records baselines there: make the folder writable, or point PERF_BASELINE_DIR at a writable directory."),
        new(Area, "PERF_RESULTS_DIR=<a file>", WithDirectoryVariable(PerfSettings.ResultsDirectoryVariable, Placement.File),
            "The results directory (PERF_RESULTS_DIR or PerfSettings.ResultsDirectory) is '", "', which is a file. Point it at a directory (created when missing), or unset it for artifacts/perf/ at the repository root."),
        new(Area, "PERF_RESULTS_DIR=<a path under a file>", WithDirectoryVariable(PerfSettings.ResultsDirectoryVariable, Placement.UnderFile),
            "The results directory (PERF_RESULTS_DIR or PerfSettings.ResultsDirectory) is '", "', under the file '"),
        new(Area, "PERF_RESULTS_DIR=<unwritable>", WithDirectoryVariable(PerfSettings.ResultsDirectoryVariable, Placement.Unwritable),
            "The results directory (PERF_RESULTS_DIR or PerfSettings.ResultsDirectory) is '/proc/1/perfregression-results', which cannot be created (", "Point it at a writable directory, or unset it for artifacts/perf/ at the repository root."),
        BadInput.Sync(Area, "no repository root and no PERF_BASELINE_DIR", () => new PerfSettings().BaselineDirectoryFor(BadInputs.NewDirectory("no-repository")),
            "No repository root was found above ", "(a directory holding 'baselines/', '.git' or a solution file), so there is no place for baselines and results. Set PERF_BASELINE_DIR and PERF_RESULTS_DIR to the directories to use."),
        new(Area, "a gated test with no repository root and no PERF_BASELINE_DIR", async () =>
            {
                var outside = Checks.TestIdentity.Named("BadInputTests.Gated", BadInputs.NewDirectory("no-repository"));
                await GateRuns.RunAsync(new PerfSettings(), outside);
            },
            "No repository root was found above ", "Set PERF_BASELINE_DIR and PERF_RESULTS_DIR to the directories to use."),
        BadInput.Sync("settings", "Profile \"../pr\"", () => Session.PerfSession.Start(GateRuns.Test, new PerfSettings { Profile = "../pr" }),
            "Profile is '../pr'; it names the baselines' folder, so it must be a plain word such as pr, full or soak."),
        BadInput.Sync("settings", "Profile empty", () => Session.PerfSession.Start(GateRuns.Test, new PerfSettings { Profile = "" }),
            "Profile is ''; it names the baselines' folder"),
        BadInput.Sync("settings", "Mode (BaselineMode)42", () => Session.PerfSession.Start(GateRuns.Test, new PerfSettings { Mode = (BaselineMode)42 }),
            "Mode is 42, which is not a BaselineMode. Use Compare, Update, Strict or Extend."),
        BadInput.Sync("settings", "EnvironmentPolicy (EnvironmentPolicy)9", () => Session.PerfSession.Start(GateRuns.Test, new PerfSettings { EnvironmentPolicy = (EnvironmentPolicy)9 }),
            "EnvironmentPolicy is 9, which is not an EnvironmentPolicy. Use Normalize, AbsoluteOnly or Compare."),
        BadInput.Sync("settings", "BaselineDirectory a file, set in code", () =>
            {
                var file = Path.Combine(BadInputs.NewDirectory("settings"), "baselines.txt");
                File.WriteAllText(file, "not a folder");
                Session.PerfSession.Start(GateRuns.Test, new PerfSettings { BaselineDirectory = file }).Dispose();
            },
            "PerfSettings has 1 problem:", "The baseline directory (PERF_BASELINE_DIR or PerfSettings.BaselineDirectory) is '", "', which is a file."),
    ];

    private enum Placement
    {
        File,
        UnderFile,
        Unwritable,
    }

    /// <summary>Points a directory variable at a file, below a file, or somewhere no one can create a folder (procfs, even for root), and runs a gated test.</summary>
    private static Func<Task> WithDirectoryVariable(string variable, Placement placement, string? mode = null) => async () =>
    {
        var folder = BadInputs.NewDirectory("settings");
        var file = Path.Combine(folder, "a-file.txt");
        await File.WriteAllTextAsync(file, "not a folder");
        var value = placement switch
        {
            Placement.File => file,
            Placement.UnderFile => Path.Combine(file, "sub"),
            _ => variable == PerfSettings.BaselineDirectoryVariable ? "/proc/1/perfregression-baselines" : "/proc/1/perfregression-results",
        };
        var other = variable == PerfSettings.BaselineDirectoryVariable ? PerfSettings.ResultsDirectoryVariable : PerfSettings.BaselineDirectoryVariable;
        await BadInputs.WithEnvironmentAsync(
            new Dictionary<string, string?> { [variable] = value, [other] = Path.Combine(folder, "other"), [PerfSettings.BaselineVariable] = mode },
            () => GateRuns.RunAsync(PerfSettings.FromEnvironment(Environment.GetEnvironmentVariable)));
    };

    private static BadInput Variable(string name, string value, string expected)
        => BadInput.Sync(Area, $"{name}={value}", () => PerfSettings.FromEnvironment(n => n == name ? value : null), expected);
}
