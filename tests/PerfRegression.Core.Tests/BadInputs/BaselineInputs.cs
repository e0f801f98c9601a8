using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PerfRegression.Tests.BadInputs;

/// <summary>
/// Baseline files as a user or a crash leaves them, and baseline folders the library cannot use. Each entry records a
/// real baseline with a short gated run, damages it, and runs the test again: the test must fail naming the file, what
/// is wrong and how to fix it, never crash or compare against nonsense.
/// </summary>
internal sealed class BaselineInputs : IBadInputSource
{
    private const string Area = "baseline file";
    private const string Cannot = "cannot be used: ";
    private const string NotJson = "cannot be used: it is not valid baseline JSON (";
    private const string RestoreOrDelete = "Restore it from version control, or delete it and record it again with PERF_BASELINE=update.";
    private const string RestoreOrRecord = "Restore it from version control, or record it again with PERF_BASELINE=update.";
    private const string NonPositive = "route 'work' has missing or non-positive trial statistics";

    public IEnumerable<BadInput> Inputs =>
    [
        new(Area, "empty file", GateRuns.WithFile(""), NotJson, RestoreOrDelete),
        new(Area, "only whitespace", GateRuns.WithFile(" \n\t \n"), NotJson, RestoreOrDelete),
        new(Area, "truncated half way (a copy cut short)", Truncated, NotJson, RestoreOrDelete),
        new(Area, "a JSON array instead of an object", GateRuns.WithFile("[]"), NotJson, RestoreOrDelete),
        new(Area, "a JSON string instead of an object", GateRuns.WithFile("\"baseline\""), NotJson, RestoreOrDelete),
        new(Area, "a JSON number instead of an object", GateRuns.WithFile("42"), NotJson, RestoreOrDelete),
        new(Area, "the JSON literal null", GateRuns.WithFile("null"), Cannot + "it holds the JSON literal null", "Delete it and record it again with PERF_BASELINE=update."),
        new(Area, "not JSON at all (a merge conflict)", GateRuns.WithFile("<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> main\n"), NotJson, RestoreOrDelete),
        new(Area, "schema version 0", GateRuns.WithEdit(f => f["schemaVersion"] = 0), Cannot + "its schema version is 0, and this version of PerfRegression reads version 1", "Record it again with PERF_BASELINE=update, or use the PerfRegression version that wrote it."),
        new(Area, "schema version 999", GateRuns.WithEdit(f => f["schemaVersion"] = 999), Cannot + "its schema version is 999, and this version of PerfRegression reads version 1"),
        new(Area, "schema version as a string", GateRuns.WithEdit(f => f["schemaVersion"] = "1"), NotJson, RestoreOrDelete),
        new(Area, "another test's file", GateRuns.WithEdit(f => f["test"] = "Other.Tests.Copied"), Cannot + "it belongs to the test 'Other.Tests.Copied', not to 'BadInputTests.Gated'", "Rename one of the tests, or delete the file and record it again with PERF_BASELINE=update."),
        new(Area, "no test name", GateRuns.WithEdit(f => f.Remove("test")), Cannot + "it names no test ('test' is missing or empty)", RestoreOrRecord),
        new(Area, "no scenarios list", GateRuns.WithEdit(f => f.Remove("scenarios")), Cannot + "it has no 'scenarios' list", RestoreOrRecord),
        new(Area, "scenarios null", GateRuns.WithEdit(f => f["scenarios"] = null), Cannot + "it has no 'scenarios' list", RestoreOrRecord),
        new(Area, "scenarios an object", GateRuns.WithEdit(f => f["scenarios"] = new JsonObject()), NotJson, RestoreOrDelete),
        new(Area, "a scenario without routes", GateRuns.WithEdit(f => f["scenarios"]![0]!.AsObject().Remove("routes")), Cannot + "a scenario ('gated') has no name or no 'routes' list", RestoreOrRecord),
        new(Area, "routes null", GateRuns.WithEdit(f => f["scenarios"]![0]!["routes"] = null), Cannot + "a scenario ('gated') has no name or no 'routes' list"),
        new(Area, "a scenario without a name", GateRuns.WithEdit(f => f["scenarios"]![0]!.AsObject().Remove("name")), Cannot + "a scenario has no name or no 'routes' list"),
        new(Area, "a route without a name", GateRuns.WithEdit(f => GateRuns.Route(f).Remove("name")), Cannot + "scenario 'gated' has a route without a name"),
        new(Area, "trialStatistics missing", GateRuns.WithEdit(f => GateRuns.Route(f).Remove("trialStatistics")), Cannot + "route 'work' has no trial statistics for p50, p90, p95, p99", RestoreOrRecord),
        new(Area, "trialStatistics null", GateRuns.WithEdit(f => GateRuns.Route(f)["trialStatistics"] = null), Cannot + "route 'work' has no trial statistics for p50, p90, p95, p99"),
        new(Area, "no p95 in trialStatistics", GateRuns.WithEdit(f => GateRuns.Route(f)["trialStatistics"]!.AsObject().Remove("p95")), Cannot + "route 'work' has no trial statistics for p95"),
        new(Area, "an empty p95 list", GateRuns.WithEdit(f => GateRuns.Route(f)["trialStatistics"]!["p95"] = new JsonArray()), Cannot + NonPositive),
        new(Area, "a NaN trial statistic", GateRuns.WithEdit(f => SetP95(f, "NaN")), Cannot + NonPositive, RestoreOrRecord),
        new(Area, "an Infinity trial statistic", GateRuns.WithEdit(f => SetP95(f, "Infinity")), Cannot + NonPositive),
        new(Area, "a negative trial statistic", GateRuns.WithEdit(f => SetP95(f, -22.0)), Cannot + NonPositive),
        new(Area, "a zero trial statistic", GateRuns.WithEdit(f => SetP95(f, 0.0)), Cannot + NonPositive),
        new(Area, "an overflowing trial statistic (1e400)", WithText("\"p95\": [", "\"p95\": [1e400, "), Cannot + NonPositive, RestoreOrRecord),
        new(Area, "a trial statistic as a string", GateRuns.WithEdit(f => SetP95(f, "22")), NotJson, RestoreOrDelete),
        new(Area, "an overflowing request count", WithText("\"count\": ", "\"count\": 1e30, \"x\": "), NotJson, RestoreOrDelete),
        new(Area, "a request count beyond Int64", WithText("\"count\": ", "\"count\": 9223372036854775808, \"x\": "), NotJson, RestoreOrDelete),
        new(Area, "a negative cost per request", GateRuns.WithEdit(f => f["scenarios"]![0]!["costs"] = new JsonObject { ["cpu"] = new JsonArray(-1.0, 0.2, 0.2, 0.2, 0.2) }), Cannot + "scenario 'gated' has missing or negative values of its cost 'cpu'", RestoreOrRecord),
        new(Area, "an unknown cost", GateRuns.WithEdit(f => f["scenarios"]![0]!["costs"] = new JsonObject { ["heap"] = new JsonArray(1.0) }), Cannot + "scenario 'gated' has an unknown cost 'heap' (known: cpu, alloc, db, server-cpu, bytes, wait)"),
        new(Area, "fewer cost values than trials", GateRuns.WithEdit(f => f["scenarios"]![0]!["costs"] = new JsonObject { ["alloc"] = new JsonArray(1000.0) }), Cannot + "scenario 'gated' has 1 value of its cost 'alloc' for 5 trials"),
        new(Area, "a negative calibration time", GateRuns.WithEdit(f => f["calibrationMilliseconds"] = -1.0), Cannot + "its calibrationMilliseconds is -1; it is the calibration workload's time and must be a positive number (0 when it was not measured)", RestoreOrRecord),
        new(Area, "a NaN calibration time", GateRuns.WithEdit(f => f["calibrationMilliseconds"] = "NaN"), Cannot + "its calibrationMilliseconds is NaN"),
        new(Area, "a tiny calibration time from another machine", GateRuns.WithEdit(f =>
            {
                f["calibrationMilliseconds"] = 0.000001;
                f["environment"]!["cores"] = 512;
            }),
            "was recorded with a calibration time of 0.000001 ms", "beyond the 0.25–4 that normalising can bridge", "Record the baseline on this machine (PERF_BASELINE=update), or compare without normalising (PERF_ENVIRONMENT_POLICY=absolute-only)."),
        new(Area, "a histogram that is not an HdrHistogram, when extending", GateRuns.WithEdit(f => GateRuns.Route(f)["histogram"] = "not-a-histogram", BaselineMode.Extend), Cannot + "route 'work' has a histogram that is not a Base64 HdrHistogram", RestoreOrRecord),
        new(Area, "a histogram that is not an HdrHistogram, when comparing", GateRuns.WithEdit(f => GateRuns.Route(f)["histogram"] = "AAAA"), Cannot + "route 'work' has a histogram that is not a Base64 HdrHistogram"),
        new(Area, "a directory where the baseline file should be", DirectoryAsBaseline, Cannot + "it is a directory, not a file", "Remove the directory; the baseline is recorded there as a file."),
        new(Area, "a directory where the received file should be", DirectoryAsReceived, "The received file ", "could not be written", "Remove what is in the way, or make the folder writable."),
        new(Area, "a read-only baseline folder (chattr +i) with PERF_BASELINE=update", ReadOnlyFolder, "The baseline could not be written to ", "PERF_BASELINE=update records baselines there: make the folder writable, or point PERF_BASELINE_DIR at a writable directory."),
        new(Area, "a file where the profile folder should be", FileAsProfileFolder, "The baseline could not be written to ", "make the folder writable, or point PERF_BASELINE_DIR at a writable directory."),
    ];

    private static void SetP95(JsonObject file, JsonNode? value) => GateRuns.Route(file)["trialStatistics"]!["p95"]![0] = value;

    /// <summary>Records a baseline and replaces the first occurrence of <paramref name="find"/> in its text.</summary>
    private static Func<Task> WithText(string find, string replace) => async () =>
    {
        var (folder, path) = await GateRuns.RecordAsync("baseline");
        var text = await File.ReadAllTextAsync(path);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text[..at] + replace + text[(at + find.Length)..]);
        await GateRuns.RunAsync(GateRuns.Settings(folder));
    };

    private static async Task Truncated()
    {
        var (folder, path) = await GateRuns.RecordAsync("baseline");
        var text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, text[..(text.Length / 2)]);
        await GateRuns.RunAsync(GateRuns.Settings(folder));
    }

    private static async Task DirectoryAsBaseline()
    {
        var folder = BadInputs.NewDirectory("baseline");
        Directory.CreateDirectory(new BaselineStore(folder, "pr").PathOf(GateRuns.Test));
        await GateRuns.RunAsync(GateRuns.Settings(folder));
    }

    private static async Task DirectoryAsReceived()
    {
        // Strict mode (CI) records nothing and proposes the run as a received file, which cannot be written here.
        var folder = BadInputs.NewDirectory("baseline");
        Directory.CreateDirectory(BaselineStore.ReceivedPathOf(new BaselineStore(folder, "pr").PathOf(GateRuns.Test)));
        await GateRuns.RunAsync(GateRuns.Settings(folder, BaselineMode.Strict));
    }

    private static async Task FileAsProfileFolder()
    {
        var folder = BadInputs.NewDirectory("baseline");
        await File.WriteAllTextAsync(Path.Combine(folder, "pr"), "not a folder");
        await GateRuns.RunAsync(GateRuns.Settings(folder, BaselineMode.Update));
    }

    /// <summary>
    /// Tests run as root here, for whom permission bits do not make a folder read-only; the immutable attribute
    /// (chattr +i) does, for root too. Removed again whatever happens.
    /// </summary>
    private static async Task ReadOnlyFolder()
    {
        var (folder, path) = await GateRuns.RecordAsync("baseline");
        var profile = Path.GetDirectoryName(path)!;
        await ChattrAsync("+i", profile);
        try
        {
            await GateRuns.RunAsync(GateRuns.Settings(folder, BaselineMode.Update));
        }
        finally
        {
            await ChattrAsync("-i", profile);
        }
    }

    private static async Task ChattrAsync(string flag, string path)
    {
        using var chattr = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { UseShellExecute = false, RedirectStandardError = true })!;
        await chattr.WaitForExitAsync();
        if (chattr.ExitCode != 0)
        {
            throw new InvalidOperationException($"chattr {flag} {path} failed: {await chattr.StandardError.ReadToEndAsync()}");
        }
    }
}
