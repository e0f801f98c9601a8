namespace PerfRegression.Tool.Commands;

/// <summary>The folder of an A/B comparison's results: emptied for a new comparison only when an earlier one made it.</summary>
internal static class AbResultsFolder
{
    private const string Marker = ".dotnet-perf-ab";

    public static void Prepare(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
            {
                throw new PerfResultsException($"The output folder {folder} holds files that dotnet perf ab did not write; give an empty or new folder (--output), so no other results mix in or are deleted.");
            }

            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), "Results of dotnet perf ab; the next comparison replaces this folder.\n");
    }
}
