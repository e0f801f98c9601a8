using PerfRegression.Checks;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>
/// The baseline rules of a check that keeps its own baseline file (capacity, micro-benchmarks), as the regression gate
/// applies them to latency: under PERF_BASELINE=update or extend the run is recorded; in compare mode outside CI what
/// has no baseline yet is recorded; anything else that failed or is missing is proposed as a received file beside the
/// baseline for review; a run that failed any check is never recorded.
/// </summary>
internal static class OwnBaseline
{
    /// <summary>
    /// Reads the baseline of <paramref name="format"/>, compares each of <paramref name="results"/> that has an entry
    /// (<paramref name="compare"/> gives its items, with the environment's factor), notes what has none, then records
    /// or proposes the run as the mode says; returns the received file written, if any.
    /// </summary>
    public static string? Gate<TFile, TEntry, TResult>(CheckContext context, OwnBaselineFormat<TFile, TEntry> format, IReadOnlyList<TResult> results, Func<TResult, string> nameOf, Func<TResult, TEntry, double, IEnumerable<CheckItem>> compare, bool complete, Func<TFile?, EnvironmentFingerprint, TFile> build, List<CheckItem> items, List<string> problems, List<string> notes)
        where TFile : class, IOwnBaselineFile<TEntry>
        where TEntry : class
    {
        var path = PathOf(context, format.Folder);
        TFile? baseline;
        try
        {
            baseline = format.Read(path, context.Test.FullName);
        }
        catch (BaselineException ex)
        {
            problems.Add(ex.Message);
            return null;
        }

        var environment = EnvironmentFingerprint.Current(context.Test.Assembly);
        var missing = new List<string>();
        if (!Records(context.Settings))
        {
            var factor = baseline is null ? 1 : Factor(baseline.Environment, baseline.CalibrationMilliseconds, environment, context.Settings.EnvironmentPolicy, format.Kind, notes);
            foreach (var result in results)
            {
                var name = nameOf(result);
                if (baseline?.Find(name) is not { } before)
                {
                    missing.Add(name);
                    if (MissingProblem(context.Settings, format.Subject(name), path) is { } problem)
                    {
                        problems.Add(problem);
                    }
                }
                else if (factor is { } f)
                {
                    items.AddRange(compare(result, before, f));
                }
            }
        }

        return Finish(context, path, format.Kind, missing, complete, items.Any(i => i.Severity == CheckSeverity.Fail), problems, notes, baseline, keep => build(keep, environment), format.Write);
    }

    /// <summary>The folder under a profile's baselines for a kind of check, e.g. <c>capacity</c>.</summary>
    public static string PathOf(CheckContext context, string folder)
        => Path.Combine(context.Settings.BaselineDirectoryFor(context.Test.Directory), context.Settings.Profile, folder, context.Test.FileName + ".json");

    /// <summary>Whether this run records rather than compares.</summary>
    public static bool Records(PerfSettings settings) => settings.Mode is BaselineMode.Update or BaselineMode.Extend;

    /// <summary>The problem of a missing baseline in strict mode, or <see langword="null"/>.</summary>
    public static string? MissingProblem(PerfSettings settings, string what, string path)
        => settings.Mode == BaselineMode.Strict
            ? $"{what} has no baseline in {path}, and strict mode (PERF_BASELINE=strict, as in CI) does not record one. Record it with PERF_BASELINE=update in this profile and commit the file, or accept the received file."
            : null;

    /// <summary>
    /// Records the run as the baseline or proposes it, as the mode says, after the comparisons; returns the received
    /// file written, if any. <paramref name="build"/> makes the file (keeping the baseline's other entries when given one).
    /// </summary>
    public static string? Finish<TFile>(CheckContext context, string path, string kind, IReadOnlyList<string> missing, bool complete, bool failed, List<string> problems, List<string> notes, TFile? baseline, Func<TFile?, TFile> build, Action<string, TFile> write)
        where TFile : class
    {
        var settings = context.Settings;
        var records = Records(settings);
        failed |= problems.Count > 0;
        var record = complete && !failed && context.EarlierChecksPassed && (records || (settings.Mode == BaselineMode.Compare && missing.Count > 0 && !settings.IsCi));
        if (record)
        {
            if (TryWrite(path, build(records ? null : baseline), write, problems))
            {
                notes.Add(records
                    ? $"{kind} baseline recorded in {path}; review and commit it."
                    : $"No {kind} baseline existed for {string.Join(", ", missing.Select(m => $"'{m}'"))}; recorded one in {path}. Commit it to start gating.");
            }

            return null;
        }

        if (!complete || (!failed && missing.Count == 0 && !records && context.EarlierChecksPassed))
        {
            return null;
        }

        var received = Path.ChangeExtension(path, ".received.json");
        if (!TryWrite(received, build(null), write, problems))
        {
            return null;
        }

        notes.Add(!context.EarlierChecksPassed || failed
            ? $"This run's {kind} figures are in {received} for review; a run that fails a check is never recorded as the baseline."
            : $"No {kind} baseline for {string.Join(", ", missing.Select(m => $"'{m}'"))} and this run does not record one ({(settings.IsCi ? "CI" : settings.Mode.ToString().ToLowerInvariant())}); proposed {received}.");
        return received;
    }

    /// <summary>The line that points at a received file; <see cref="AcceptCommand"/> says how to accept it.</summary>
    public static TextBlock ReceivedBlock(string received) => new([$"received: {received}"]);

    /// <summary>The command that accepts a received file, for the result's <see cref="CheckResult.Commands"/>.</summary>
    public static string[] AcceptCommand(string? received)
        => received is null ? [] : [$"accept it: dotnet perf accept (or mv '{received}' '{received[..^".received.json".Length]}.json')"];

    /// <summary>
    /// The factor a baseline's times are multiplied by on this machine (the ratio of calibration times under the
    /// normalize policy), or <see langword="null"/> when the environment policy forbids comparing; notes why.
    /// </summary>
    public static double? Factor(EnvironmentFingerprint? recorded, double calibrationMilliseconds, EnvironmentFingerprint environment, EnvironmentPolicy policy, string kind, List<string> notes)
    {
        var differences = recorded is not null ? recorded.DifferencesFrom(environment) : ["environment: not recorded in the baseline"];
        if (differences.Count == 0)
        {
            return 1;
        }

        var what = string.Join("; ", differences);
        if (policy == EnvironmentPolicy.Normalize && calibrationMilliseconds > 0)
        {
            var factor = Calibration.Milliseconds / calibrationMilliseconds;
            notes.Add($"The {kind} baseline was recorded in another environment ({what}); it was scaled by {Formatting.Number(factor, "0.###")}, the ratio of this machine's calibration time to the baseline's.");
            return factor;
        }

        if (policy == EnvironmentPolicy.Compare)
        {
            notes.Add($"The {kind} baseline was recorded in another environment ({what}). Policy compare: compared as if the environments matched.");
            return 1;
        }

        notes.Add($"The {kind} baseline was recorded in another environment ({what}), so it was not compared (policy {policy.ToString().ToLowerInvariant()}). Record a baseline on this machine to gate here.");
        return null;
    }

    private static bool TryWrite<TFile>(string path, TFile file, Action<string, TFile> write, List<string> problems)
    {
        try
        {
            write(path, file);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"The baseline {path} could not be written ({ex.Message}). Make the folder writable, or point PERF_BASELINE_DIR at a writable directory.");
            return false;
        }
    }
}

/// <summary>A baseline file a check keeps for itself: where it was recorded, and its entry for each thing measured.</summary>
internal interface IOwnBaselineFile<TEntry>
    where TEntry : class
{
    EnvironmentFingerprint? Environment { get; }

    double CalibrationMilliseconds { get; }

    TEntry? Find(string name);
}

/// <summary>How a kind of own baseline is stored and named: its folder, its word in notes, how to read and write it, what a missing entry is called.</summary>
internal sealed record OwnBaselineFormat<TFile, TEntry>(string Folder, string Kind, Func<string, string?, TFile?> Read, Action<string, TFile> Write, Func<string, string> Subject)
    where TFile : class, IOwnBaselineFile<TEntry>
    where TEntry : class;
