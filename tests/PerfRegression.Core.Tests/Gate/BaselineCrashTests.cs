using System.Diagnostics;
using PerfRegression.Reliability;
using PerfRegression.Tests.Support;
using PerfRegression.Text;

namespace PerfRegression.Tests.Gate;

/// <summary>
/// Baseline integrity under crashes: a process writing baselines through the library's store is killed with SIGKILL at
/// random moments; every time, the baseline is the old or the new whole file, and the temporary file the killed writer
/// left is gone after the library's next read of the folder. (The bench suite `reliability` does the same 50+ times.)
/// </summary>
public sealed class BaselineCrashTests : IDisposable
{
    private readonly string _directory = Path.Combine(IsolatedOutputs.Root, "crash-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_writer_killed_at_random_moments_leaves_a_whole_baseline_and_no_temporary_file()
    {
        // Each child loads a core while it writes: kept out of other processes' measurements.
        using var quiet = await MachineQuiet.HoldAsync();
        var seed = Environment.TickCount;

        var result = await BaselineKillLoop.RunAsync(BaselineKillLoop.ChildPath(typeof(BaselineCrashTests).Assembly), _directory, kills: 16, TimeSpan.FromMilliseconds(150), seed, TestContext.Current.CancellationToken);

        var because = $"seed {seed}: {string.Join("; ", result.Problems)}";
        result.Corrupt.Should().Be(0, because);
        result.TemporaryFilesLeft.Should().Be(0, because);
        result.KilledMidWrite.Should().BeGreaterThan(0, "the child spends nearly all its time writing, so some of 16 kills land inside a write; if none did, this test proved nothing");
    }

    [Fact]
    public void Temporary_files_of_killed_writers_are_removed_and_nothing_else()
    {
        var folder = Path.Combine(_directory, "pr");
        Directory.CreateDirectory(folder);
        var dead = DeadProcessId();
        var killed = Touch(folder, $"T.M.json.{dead}-{Guid.NewGuid():N}.tmp");
        var live = Touch(folder, $"T.M.json.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        var earlierVersion = Touch(folder, $"T.M.json.{Guid.NewGuid():N}.tmp");
        var oldEarlierVersion = Touch(folder, $"U.M.json.{Guid.NewGuid():N}.tmp");
        File.SetLastWriteTimeUtc(oldEarlierVersion, File.GetLastWriteTimeUtc(oldEarlierVersion) - AtomicFile.StaleAge - TimeSpan.FromMinutes(1));
        var notOurs = Touch(folder, "notes.tmp");

        AtomicFile.Write(Path.Combine(folder, "Other.json"), "{}");

        File.Exists(killed).Should().BeFalse("its writer is gone");
        File.Exists(oldEarlierVersion).Should().BeFalse($"it is older than {AtomicFile.StaleAge}");
        File.Exists(live).Should().BeTrue("a running process may be writing it");
        File.Exists(earlierVersion).Should().BeTrue("its writer is unknown and it is recent");
        File.Exists(notOurs).Should().BeTrue("the library removes only files it names");
    }

    [Fact]
    public void Reading_a_baseline_removes_what_a_killed_writer_left_beside_it()
    {
        var folder = Path.Combine(_directory, "pr");
        Directory.CreateDirectory(folder);
        var killed = Touch(folder, $"T.M.json.{DeadProcessId()}-{Guid.NewGuid():N}.tmp");

        new BaselineStore(_directory, "pr").Read(Checks.TestIdentity.Named("T.M")).Should().BeNull();

        File.Exists(killed).Should().BeFalse();
    }

    private static string Touch(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "{ \"partial");
        return path;
    }

    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
