using System.Text.RegularExpressions;

namespace Perf.Api.Tests.Readme;

/// <summary>
/// README.md's and docs/from-k6.md's C# examples are the compiled code of <see cref="ReadmeSnippets"/> and <see cref="FromK6Snippets"/>: each <c>```csharp</c> block follows a
/// <c>&lt;!-- snippet: name --&gt;</c> line and holds exactly the code between that name's markers, so an example that no
/// longer compiles fails the build, and one that drifted from its code fails here.
/// </summary>
public sealed partial class ReadmeTests
{
    private static readonly string Root = FindRoot();

    [Theory]
    [InlineData("README.md", "ReadmeSnippets.cs")]
    [InlineData("docs/from-k6.md", "FromK6Snippets.cs")]
    public void Every_csharp_example_in_the_readme_is_compiled_code(string document, string snippetsFile)
    {
        var readme = File.ReadAllText(Path.Combine(Root, document)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var snippets = Snippets(File.ReadAllText(Path.Combine(Root, "tests", "Perf.Api.Tests", "Readme", snippetsFile)));
        var problems = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);

        foreach (Match block in CsharpBlock().Matches(readme))
        {
            var name = block.Groups["name"].Success ? block.Groups["name"].Value : null;
            var code = block.Groups["code"].Value.TrimEnd('\n');
            var line = readme[..block.Index].Count(c => c == '\n') + 1;
            if (name is null)
            {
                problems.Add($"{document} line {line}: a csharp example without a '<!-- snippet: name -->' line before it; put its code in {snippetsFile} between '// begin-snippet: name' and '// end-snippet' and name it here.");
            }
            else if (!snippets.TryGetValue(name, out var expected))
            {
                problems.Add($"{document} line {line}: snippet '{name}' is not in {snippetsFile}.");
            }
            else
            {
                used.Add(name);
                if (code != expected)
                {
                    problems.Add($"{document} line {line}: snippet '{name}' differs from its compiled code. Replace the block with:\n{expected}");
                }
            }
        }

        problems.AddRange(snippets.Keys.Where(k => !used.Contains(k)).Select(k => $"{snippetsFile}: snippet '{k}' is not shown in {document}; show it or remove it."));
        problems.Should().BeEmpty();
    }

    /// <summary>Each snippet's code, its indentation removed.</summary>
    private static Dictionary<string, string> Snippets(string source)
    {
        var snippets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Snippet().Matches(source.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            var lines = match.Groups["code"].Value.TrimEnd('\n').Split('\n');
            var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
            snippets.Add(match.Groups["name"].Value, string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())));
        }

        return snippets;
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

        throw new InvalidOperationException($"No PerfRegression.sln above {AppContext.BaseDirectory}: the README test reads the repository it was built from.");
    }

    [GeneratedRegex(@"(?:<!-- snippet: (?<name>[\w-]+) -->\n)?```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsharpBlock();

    [GeneratedRegex(@"^[ \t]*// begin-snippet: (?<name>[\w-]+)\n(?<code>.*?)^[ \t]*// end-snippet", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Snippet();
}
