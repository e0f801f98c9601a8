namespace PerfRegression.Tests.Architecture;

/// <summary>
/// Every package's public surface is declared in <c>PublicAPI.Shipped.txt</c> and <c>PublicAPI.Unshipped.txt</c> beside
/// its project; the PublicApiAnalyzers (eng/Library.props) fail the build when the surface and the files disagree.
/// <c>eng/update-public-api.sh</c> brings the files up to date, so the change shows in review.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Projects => new(Directory.EnumerateDirectories(Path.Combine(LayerOrder.RepositoryRoot, "src")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_package_declares_its_public_api(string project)
    {
        foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            var path = Path.Combine(LayerOrder.RepositoryRoot, "src", project, file);
            File.Exists(path).Should().BeTrue($"{project} declares its public API in {file} (run eng/update-public-api.sh)");
            File.ReadLines(path).First().Should().Be("#nullable enable", "the analyzer reads nullable annotations only after this line");
        }

        var declared = File.ReadLines(Path.Combine(LayerOrder.RepositoryRoot, "src", project, "PublicAPI.Unshipped.txt")).Skip(1)
            .Concat(File.ReadLines(Path.Combine(LayerOrder.RepositoryRoot, "src", project, "PublicAPI.Shipped.txt")).Skip(1));
        // A .NET tool is a program: its surface is its command line (its tests), and it declares no types for others.
        var tool = File.ReadAllText(Path.Combine(LayerOrder.RepositoryRoot, "src", project, project + ".csproj")).Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal);
        if (tool)
        {
            declared.Should().BeEmpty("a tool's types are internal; its surface is its command line");
        }
        else
        {
            declared.Should().NotBeEmpty("every package has a public surface");
        }
    }

    [Fact]
    public void The_library_build_tracks_the_public_api()
    {
        var props = File.ReadAllText(Path.Combine(LayerOrder.RepositoryRoot, "eng", "Library.props"));
        props.Should().Contain("Microsoft.CodeAnalysis.PublicApiAnalyzers").And.Contain("PublicAPI.Shipped.txt").And.Contain("PublicAPI.Unshipped.txt");
        props.Split('\n').Where(l => l.Contains("<NoWarn>", StringComparison.Ordinal) || l.Contains("WarningsNotAsErrors", StringComparison.Ordinal))
            .Should().NotContain(l => l.Contains("RS0016", StringComparison.Ordinal) || l.Contains("RS0017", StringComparison.Ordinal), "a new or removed public symbol must fail the build");
    }
}
