using System.Reflection;
using PerfRegression.Checks;
using PerfRegression.Tests.Support;
using PerfRegression.Text;

namespace PerfRegression.Tests.Gate;

public sealed class BaselineFilesTests : IDisposable
{
    private static readonly MethodInfo Method = typeof(BaselineFilesTests).GetMethod(nameof(Theory_cases_get_their_own_file))!;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "perf-baselines-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("2026-11-23", 100)]
    public void Theory_cases_get_their_own_file(string week, int users)
    {
        var identity = TestIdentity.From(Method, [week, users]);
        identity.FileName.Should().Be("BaselineFilesTests.Theory_cases_get_their_own_file(2026-11-23,100)");
        identity.FullName.Should().Be("PerfRegression.Tests.Gate.BaselineFilesTests.Theory_cases_get_their_own_file(2026-11-23,100)");
        TestIdentity.From(Method, null).FileName.Should().Be("BaselineFilesTests.Theory_cases_get_their_own_file");
    }

    [Fact]
    public void Long_or_unsafe_arguments_stay_unique_and_valid_as_file_names()
    {
        var a = TestIdentity.From(Method, [new string('x', 200) + "/a", 1]);
        var b = TestIdentity.From(Method, [new string('x', 200) + "/b", 1]);
        a.FileName.Should().NotBe(b.FileName);
        a.FileName.Length.Should().BeLessThan(160);
        a.FileName.IndexOfAny(Path.GetInvalidFileNameChars()).Should().Be(-1);
    }

    [Fact]
    public void Each_profile_keeps_its_own_baselines()
    {
        var identity = TestIdentity.From(Method, null);
        new BaselineStore(_directory, "pr").PathOf(identity).Should().Be(Path.Combine(_directory, "pr", identity.FileName + ".json"));
        new BaselineStore(_directory, "full").PathOf(identity).Should().Be(Path.Combine(_directory, "full", identity.FileName + ".json"));
        BaselineStore.ReceivedPathOf("/b/pr/T.M.json").Should().Be("/b/pr/T.M.received.json");
    }

    [Fact]
    public void A_missing_baseline_reads_as_none()
        => new BaselineStore(_directory, "pr").Read(TestIdentity.From(Method, null)).Should().BeNull();

    [Fact]
    public void A_corrupt_file_names_the_file_and_the_fix()
    {
        var (store, identity, path) = Prepare("{ \"schemaVersion\": 1, \"scenarios\": [ ");
        var act = () => store.Read(identity);
        act.Should().Throw<BaselineException>().WithMessage($"The baseline file {path} cannot be used: it is not valid baseline JSON (*). Restore it from version control, or delete it and record it again with PERF_BASELINE=update.");
    }

    [Fact]
    public void An_unknown_schema_version_is_refused()
    {
        var (store, identity, path) = Prepare("{ \"schemaVersion\": 7 }");
        var act = () => store.Read(identity);
        act.Should().Throw<BaselineException>().WithMessage($"The baseline file {path} cannot be used: its schema version is 7, and this version of PerfRegression reads version 1. Record it again with PERF_BASELINE=update, or use the PerfRegression version that wrote it.");
    }

    [Fact]
    public void A_file_of_another_test_is_refused()
    {
        var (store, identity, path) = Prepare("{ \"schemaVersion\": 1, \"test\": \"Other.Test\" }");
        var act = () => store.Read(identity);
        act.Should().Throw<BaselineException>().WithMessage($"The baseline file {path} cannot be used: it belongs to the test 'Other.Test', not to '{identity.FullName}' (two tests map to one file name, or the file was copied). Rename one of the tests, or delete the file and record it again with PERF_BASELINE=update.");
    }

    [Fact]
    public void Trial_statistics_that_cannot_be_compared_are_refused()
    {
        var identity = TestIdentity.From(Method, null);
        var (store, _, path) = Prepare($$"""{ "schemaVersion": 1, "test": "{{identity.FullName}}", "scenarios": [ { "name": "s", "routes": [ { "name": "r", "trialStatistics": { "p50": [ 5 ], "p90": [ 8 ], "p95": [ 10, 0 ], "p99": [ 12 ] } } ] } ] }""");
        var act = () => store.Read(identity);
        act.Should().Throw<BaselineException>().WithMessage($"The baseline file {path} cannot be used: route 'r' has missing or non-positive trial statistics.*");
    }

    public static TheoryData<string, string> DamagedFiles => new()
    {
        { "\"scenarios\": null", "it has no 'scenarios' list" },
        { "\"scenarios\": [ null ]", "a scenario has no name or no 'routes' list" },
        { "\"scenarios\": [ { \"name\": \"s\", \"routes\": null } ]", "a scenario ('s') has no name or no 'routes' list" },
        { "\"scenarios\": [ { \"name\": \"s\", \"routes\": [ { \"trialStatistics\": {} } ] } ]", "scenario 's' has a route without a name" },
        { "\"scenarios\": [ { \"name\": \"s\", \"routes\": [ { \"name\": \"r\", \"trialStatistics\": null } ] } ]", "route 'r' has no trial statistics for p50, p90, p95, p99" },
        { "\"scenarios\": [ { \"name\": \"s\", \"routes\": [ { \"name\": \"r\", \"trialStatistics\": { \"p50\": [1], \"p90\": [1], \"p99\": [1] } } ] } ]", "route 'r' has no trial statistics for p95" },
        { "\"scenarios\": [ { \"name\": \"s\", \"routes\": [ { \"name\": \"r\", \"trialStatistics\": { \"p50\": [1], \"p90\": [1], \"p95\": null, \"p99\": [1] } } ] } ]", "route 'r' has missing or non-positive trial statistics" },
        { "\"scenarios\": [ { \"name\": \"s\", \"routes\": [ { \"name\": \"r\", \"trialStatistics\": { \"p50\": [1], \"p90\": [1], \"p95\": [\"NaN\"], \"p99\": [1] } } ] } ]", "route 'r' has missing or non-positive trial statistics" },
        { "\"calibrationMilliseconds\": -3, \"scenarios\": []", "its calibrationMilliseconds is -3; it is the calibration workload's time and must be a positive number (0 when it was not measured)" },
        { "\"calibrationMilliseconds\": \"NaN\", \"scenarios\": []", "its calibrationMilliseconds is NaN; it is the calibration workload's time and must be a positive number (0 when it was not measured)" },
    };

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public void A_damaged_file_fails_with_what_is_wrong_instead_of_crashing(string content, string problem)
    {
        var identity = TestIdentity.From(Method, null);
        var (store, _, path) = Prepare($$"""{ "schemaVersion": 1, "test": "{{identity.FullName}}", {{content}} }""");

        var act = () => store.Read(identity);

        act.Should().Throw<BaselineException>().Which.Message.Should().Be(
            $"The baseline file {path} cannot be used: {problem}. Restore it from version control, or record it again with PERF_BASELINE=update.");
    }

    [Fact]
    public void Atomic_writes_leave_a_whole_file_and_no_temporary_files_even_when_racing()
    {
        var path = Path.Combine(_directory, "pr", "Race.json");
        var contents = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 100_000)).ToArray();

        Parallel.ForEach(contents, content => AtomicFile.Write(path, content));

        contents.Should().Contain(File.ReadAllText(path), "the file is exactly one writer's content, never a mix");
        Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle();
    }

    [Fact]
    public void Settings_are_read_from_the_environment_and_every_bad_value_is_listed()
    {
        var settings = PerfSettings.FromEnvironment(name => name switch { "PERF_BASELINE" => "Strict", "PERF_PROFILE" => "full", "CI" => "true", _ => null });
        settings.Mode.Should().Be(BaselineMode.Strict);
        settings.Profile.Should().Be("full");
        settings.IsCi.Should().BeTrue();
        PerfSettings.FromEnvironment(_ => null).Should().Be(new PerfSettings());

        var act = () => PerfSettings.FromEnvironment(name => name switch { "PERF_BASELINE" => "record", "PERF_PROFILE" => "nightly", "PERF_ENVIRONMENT_POLICY" => "ignore", _ => null });
        act.Should().Throw<PerfConfigurationException>().Which.Problems.Should().Equal(
            "PERF_BASELINE is 'record'; allowed values are compare, update, strict, extend. Unset it for the default, compare.",
            "PERF_PROFILE is 'nightly'; allowed values are pr, full, soak. Unset it for the default, pr.",
            "PERF_ENVIRONMENT_POLICY is 'ignore'; allowed values are normalize, absolute-only, compare. Unset it for the default, normalize.");
    }

    [Fact]
    public void Fingerprints_list_each_difference()
    {
        var here = EnvironmentFingerprint.Current();
        here.DifferencesFrom(here).Should().BeEmpty();
        here.DifferencesFrom(here with { CpuModel = "Other CPU", Cores = 64 }).Should().Equal($"CPU model: {here.CpuModel} → Other CPU", $"cores: {here.Cores} → 64");
    }

    private (BaselineStore Store, TestIdentity Identity, string Path) Prepare(string content)
    {
        var store = new BaselineStore(_directory, "pr");
        var identity = TestIdentity.From(Method, null);
        var path = store.PathOf(identity);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return (store, identity, path);
    }
}
