namespace PerfRegression.Engine;

/// <summary>
/// Keeps load runs of different processes on this machine from overlapping: `dotnet test` runs test
/// assemblies side by side, and two load tests measuring at once distort each other (each one's latency
/// includes the other's CPU). A lock file in the temporary directory is held for the length of a run;
/// runs on a fake clock measure nothing real and do not take it.
/// </summary>
internal static class MachineRunLock
{
    /// <summary>The lock file every measuring process on the machine shares.</summary>
    internal static string MachineWidePath { get; } = Path.Combine(Path.GetTempPath(), "perfregression-load.lock");

    /// <summary>The lock file load runs take; the library's own unit tests use a private one, as they measure nothing across processes.</summary>
    internal static string LockPath { get; set; } = MachineWidePath;

    public static Task<IDisposable?> AcquireAsync(TimeProvider time, CancellationToken cancellationToken)
        => time == TimeProvider.System ? AcquireAsync(LockPath, cancellationToken) : Task.FromResult<IDisposable?>(null);

    /// <summary>Holds the lock file at <paramref name="path"/> until the returned scope is disposed (e.g. heavy work that must not overlap a measurement).</summary>
    public static async Task<IDisposable?> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                // Kept, not deleted on close: deleting would let two processes lock two different files.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
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
