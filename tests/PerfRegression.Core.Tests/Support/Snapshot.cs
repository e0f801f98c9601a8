using System.Runtime.CompilerServices;

namespace PerfRegression.Tests.Support;

/// <summary>
/// Compares human-facing text with a committed <c>Snapshots/{Class}.{Method}.verified.{extension}</c>. On a
/// mismatch it writes <c>.received.{extension}</c> next to it and fails; accept a change by moving that file.
/// </summary>
internal static class Snapshot
{
    public static void Match(string actual, string? suffix = null, string extension = "txt", [CallerFilePath] string file = "", [CallerMemberName] string method = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(file)!, "..", "Snapshots");
        var className = Path.GetFileNameWithoutExtension(file);
        var name = suffix is null ? $"{className}.{method}" : $"{className}.{method}.{suffix}";
        var verified = Path.GetFullPath(Path.Combine(directory, $"{name}.verified.{extension}"));
        var received = Path.GetFullPath(Path.Combine(directory, $"{name}.received.{extension}"));
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) == actual)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(received)!);
        File.WriteAllText(received, actual);
        var expected = File.Exists(verified) ? File.ReadAllText(verified) : "(no verified snapshot yet)";
        Assert.Fail($"The text differs from the snapshot {Path.GetFileName(verified)}. Review {received} and, if it is right, move it over the verified file.\n--- verified\n{expected}\n--- received\n{actual}");
    }
}
