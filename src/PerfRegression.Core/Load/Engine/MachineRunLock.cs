namespace PerfRegression.Engine;

/// <summary>
/// Keeps load runs of different processes on this machine from overlapping: `dotnet test` runs test
/// assemblies side by side, and two load tests measuring at once distort each other (each one's latency
/// includes the other's CPU). A lock file in the temporary directory is held for the length of a run;
/// runs on a fake clock measure nothing real and do not take it.
/// </summary>
internal static class MachineRunLock
{
    /// <summary>The lock file; the library's own unit tests use a private one, as they measure nothing across processes.</summary>
    internal static string LockPath { get; set; } = Path.Combine(Path.GetTempPath(), "perfregression-load.lock");

    public static async Task<IDisposable?> AcquireAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        if (time != TimeProvider.System)
        {
            return null;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        while (true)
        {
            try
            {
                // Kept, not deleted on close: deleting would let two processes lock two different files.
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException)
            {
                // Another process is measuring: wait for its run to end.
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            }
            catch (UnauthorizedAccessException)
            {
                // A lock file we may not open (another user's): runs are still serialized within this process.
                return null;
            }
        }
    }
}
