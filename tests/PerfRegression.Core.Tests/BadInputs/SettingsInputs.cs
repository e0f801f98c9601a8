namespace PerfRegression.Tests.BadInputs;

/// <summary>The PERF_* environment variables with values that are not allowed.</summary>
internal sealed class SettingsInputs : IBadInputSource
{
    private const string Area = "environment";

    public IEnumerable<BadInput> Inputs =>
    [
        Variable("PERF_BASELINE", "updtae", "PERF_BASELINE is 'updtae'; allowed values are compare, update, strict, extend. Unset it for the default, compare."),
        Variable("PERF_BASELINE", "true", "PERF_BASELINE is 'true'; allowed values are compare, update, strict, extend. Unset it for the default, compare."),
        Variable("PERF_PROFILE", "nightly", "PERF_PROFILE is 'nightly'; allowed values are pr, full. Unset it for the default, pr."),
        Variable("PERF_PROFILE", "../pr", "PERF_PROFILE is '../pr'; allowed values are pr, full. Unset it for the default, pr."),
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
    ];

    private static BadInput Variable(string name, string value, string expected)
        => BadInput.Sync(Area, $"{name}={value}", () => PerfSettings.FromEnvironment(n => n == name ? value : null), expected);
}
