namespace PerfRegression.Tests.Architecture;

/// <summary>
/// The declared layer order of each src/ project (<c>eng/layers.txt</c>): a <c>[Project]</c> header, then its
/// folders from the top layer down, one layer per line; folders on one line (separated by spaces) are siblings.
/// </summary>
internal sealed class LayerOrder
{
    private readonly Dictionary<string, List<string[]>> _layers;

    private LayerOrder(Dictionary<string, List<string[]>> layers) => _layers = layers;

    public static string RepositoryRoot { get; } = FindRoot();

    public static string FilePath => Path.Combine(RepositoryRoot, "eng", "layers.txt");

    public IReadOnlyList<string> Projects => _layers.Keys.Order(StringComparer.Ordinal).ToArray();

    public static LayerOrder Read() => Parse(File.ReadAllText(FilePath));

    public static LayerOrder Parse(string text)
    {
        var layers = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        List<string[]>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = layers[line[1..^1]] = [];
                continue;
            }

            if (current is null)
            {
                throw new FormatException($"eng/layers.txt: the line '{line}' comes before any [Project] header.");
            }

            current.Add(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return new LayerOrder(layers);
    }

    /// <summary>Every violation of <paramref name="project"/>'s order in <paramref name="graph"/>, one sentence each.</summary>
    public IReadOnlyList<string> Check(string project, FolderGraph graph)
    {
        if (!_layers.TryGetValue(project, out var layers))
        {
            return [$"{project} has no [{project}] section in eng/layers.txt. Declare its folders, top layer first."];
        }

        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var folder in layers[i])
            {
                rank[folder] = i;
            }
        }

        var problems = graph.Folders.Where(f => !rank.ContainsKey(f))
            .Select(f => $"Folder '{f}' holds source but is not in the layer order of {project} in eng/layers.txt. Add it on the line of its layer.")
            .ToList();
        foreach (var (from, to, example) in graph.Edges)
        {
            if (!rank.TryGetValue(from, out var fromRank) || !rank.TryGetValue(to, out var toRank) || fromRank < toRank)
            {
                continue;
            }

            problems.Add(fromRank == toRank
                ? $"{from} → {to} ({example}): '{from}' may not depend on '{to}', its sibling on the same line."
                : $"{from} → {to} ({example}): '{from}' may not depend on '{to}', which is above it.");
        }

        return problems;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PerfRegression.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No PerfRegression.sln above {AppContext.BaseDirectory}; the architecture tests read the sources of the repository they were built from.");
    }
}
