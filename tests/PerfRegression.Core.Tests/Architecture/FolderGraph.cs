using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PerfRegression.Tests.Architecture;

/// <summary>
/// The folder-to-folder type dependencies of one project, read by compiling its sources with Roslyn: a folder
/// depends on another when a file in it names a type declared there, or a member of one (a call, a property, an
/// extension method). Documentation comments are not dependencies. The compilation must have no error, or a
/// reference that did not bind could hide an edge; the graph then refuses to exist.
/// </summary>
internal sealed class FolderGraph
{
    // The SDK's implicit usings for a class library (ImplicitUsings=enable); they live in obj/, which is not read.
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    // Source generators are not run: the partial methods they implement ([GeneratedRegex]) have no body here.
    // Generated code names no type of the project's own, so no edge is lost.
    private static readonly HashSet<string> GeneratedParts = ["CS8795"];

    private readonly Dictionary<string, Dictionary<string, string>> _edges;

    private FolderGraph(IReadOnlyList<string> folders, Dictionary<string, Dictionary<string, string>> edges)
    {
        Folders = folders;
        _edges = edges;
    }

    /// <summary>Every folder holding source, relative to the project, with <c>/</c>; <c>.</c> for the project's own directory.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>Each dependency, with one example of the use that makes it, e.g. <c>Load/Load.cs names LoadRunner</c>.</summary>
    public IEnumerable<(string From, string To, string Example)> Edges
        => _edges.SelectMany(e => e.Value.Select(t => (From: e.Key, To: t.Key, Example: t.Value))).OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal);

    /// <summary>Pairs of folders that depend on each other both ways.</summary>
    public IReadOnlyList<(string A, string B)> MutualPairs
        => Edges.Where(e => string.CompareOrdinal(e.From, e.To) < 0 && DependsOn(e.To, e.From)).Select(e => (e.From, e.To)).ToArray();

    /// <summary>Groups of folders that reach each other (strongly connected components of more than one folder).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles => StronglyConnected().Where(c => c.Count > 1).ToArray();

    public bool DependsOn(string from, string to) => _edges.TryGetValue(from, out var targets) && targets.ContainsKey(to);

    /// <summary>Compiles every <c>*.cs</c> file of <paramref name="projectDirectory"/> (outside bin/ and obj/) and reads its graph.</summary>
    public static FolderGraph Of(string projectDirectory)
    {
        var projectName = Path.GetFileName(projectDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var parse = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.None);
        var files = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(projectDirectory, f)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "ImplicitUsings.g.cs"))
            .ToArray();
        var compilation = CSharpCompilation.Create(
            projectName,
            trees,
            References(projectName),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !GeneratedParts.Contains(d.Id)).ToArray();
        if (errors.Length > 0)
        {
            throw new InvalidOperationException(
                $"{projectName} did not compile for the dependency analysis, so some dependencies could be missed ({errors.Length} errors). "
                + "A type this test cannot reference (add its package to the test project) or a new implicit using is the usual cause:\n"
                + string.Join("\n", errors.Take(10).Select(e => e.ToString())));
        }

        var folderOf = files.ToDictionary(f => f, f => FolderOf(projectDirectory, f), StringComparer.Ordinal);
        var edges = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var tree in trees.Where(t => folderOf.ContainsKey(t.FilePath)))
        {
            var model = compilation.GetSemanticModel(tree);
            var from = folderOf[tree.FilePath];
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                foreach (var type in TypesNamedBy(model, name))
                {
                    foreach (var declaration in type.OriginalDefinition.DeclaringSyntaxReferences)
                    {
                        if (folderOf.TryGetValue(declaration.SyntaxTree.FilePath, out var to) && to != from)
                        {
                            var targets = edges.TryGetValue(from, out var t) ? t : edges[from] = new(StringComparer.Ordinal);
                            targets.TryAdd(to, $"{Path.GetRelativePath(projectDirectory, tree.FilePath).Replace('\\', '/')} names {type.Name}");
                        }
                    }
                }
            }
        }

        return new FolderGraph(folderOf.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), edges);
    }

    /// <summary>A graph of the given folders and edges, each edge's example being <c>{From}/File.cs names {To}Type</c> (for tests of the checks).</summary>
    public static FolderGraph FromEdges(IReadOnlyList<string> folders, params (string From, string To)[] edges)
    {
        var map = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (from, to) in edges)
        {
            var targets = map.TryGetValue(from, out var t) ? t : map[from] = new(StringComparer.Ordinal);
            targets[to] = $"{from}/File.cs names {to}Type";
        }

        return new FolderGraph(folders, map);
    }

    /// <summary>A one-line-per-edge description: how many folders, edges and mutual pairs, and each edge with its example.</summary>
    public string Describe()
    {
        var lines = new List<string>
        {
            $"{Folders.Count} folders, {Edges.Count()} folder-to-folder dependencies, {MutualPairs.Count} pairs depending on each other both ways, "
            + $"{Cycles.Count} cycle(s){(Cycles.Count > 0 ? ": " + string.Join("; ", Cycles.Select(c => string.Join(" ⇄ ", c))) : string.Empty)}",
        };
        lines.AddRange(MutualPairs.Select(p => $"  both ways: {p.A} ⇄ {p.B}"));
        lines.AddRange(Edges.Select(e => $"  {e.From} → {e.To} ({e.Example})"));
        return string.Join("\n", lines);
    }

    private static IEnumerable<INamedTypeSymbol> TypesNamedBy(SemanticModel model, SimpleNameSyntax name)
    {
        var info = model.GetSymbolInfo(name);
        var symbols = info.Symbol is { } symbol ? [symbol] : info.CandidateSymbols;
        foreach (var s in symbols)
        {
            var type = s switch
            {
                INamedTypeSymbol named => named,
                IMethodSymbol { ReducedFrom: { } extension } => extension.ContainingType,
                IAliasSymbol { Target: INamedTypeSymbol aliased } => aliased,
                _ => s.ContainingType,
            };
            if (type is not null)
            {
                yield return type;
            }
        }
    }

    private static string FolderOf(string projectDirectory, string file)
    {
        var folder = Path.GetDirectoryName(Path.GetRelativePath(projectDirectory, file))!.Replace('\\', '/');
        return folder.Length == 0 ? "." : folder;
    }

    private static bool IsBuildOutput(string relativePath)
    {
        var first = relativePath.Replace('\\', '/').Split('/')[0];
        return first is "bin" or "obj";
    }

    /// <summary>The platform's assemblies and every assembly beside this test, except the project's own build.</summary>
    private static MetadataReference[] References(string projectName)
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll");
        return platform.Concat(local)
            .Where(path => !string.Equals(Path.GetFileNameWithoutExtension(path), projectName, StringComparison.Ordinal))
            .GroupBy(Path.GetFileNameWithoutExtension, StringComparer.OrdinalIgnoreCase)
            .Select(g => MetadataReference.CreateFromFile(g.First()))
            .ToArray();
    }

    // Tarjan's algorithm over the folder graph.
    private List<List<string>> StronglyConnected()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();
        foreach (var folder in Folders)
        {
            if (!index.ContainsKey(folder))
            {
                Visit(folder);
            }
        }

        return result;

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in _edges.TryGetValue(v, out var targets) ? targets.Keys : Enumerable.Empty<string>())
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                component.Sort(StringComparer.Ordinal);
                result.Add(component);
            }
        }
    }
}
