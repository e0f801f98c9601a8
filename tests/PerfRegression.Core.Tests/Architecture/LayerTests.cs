using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Architecture;

/// <summary>
/// The folders of every src/ project are layers with one direction of dependency, declared in
/// <c>eng/layers.txt</c>: a folder may name types of folders below it only, siblings on one line not each
/// other, and every folder holding source is declared. A new edge against the order fails here with the
/// file and the type that make it.
/// </summary>
public sealed class LayerTests
{
    public static TheoryData<string> Projects => new(LayerOrder.Read().Projects);

    [Fact]
    public void Every_src_project_declares_its_layers()
    {
        var declared = LayerOrder.Read().Projects;
        var projects = Directory.EnumerateFiles(Path.Combine(LayerOrder.RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal);
        declared.Should().BeEquivalentTo(projects, "every project under src/ needs a [Project] section in eng/layers.txt");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task Folders_depend_only_on_the_layers_below_them(string project)
    {
        var order = LayerOrder.Read();
        FolderGraph graph;
        using (await MachineQuiet.HoldAsync())
        {
            graph = FolderGraph.Of(Path.Combine(LayerOrder.RepositoryRoot, "src", project));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(graph.Describe());

        var problems = order.Check(project, graph);

        problems.Should().BeEmpty($"the folders of {project} must follow the layer order in eng/layers.txt (top to bottom, dependencies point down only).\n{graph.Describe()}");
        graph.Cycles.Should().BeEmpty();
        graph.MutualPairs.Should().BeEmpty();
    }

    [Fact]
    public void An_edge_against_the_order_and_an_undeclared_folder_are_reported_with_their_cause()
    {
        var order = LayerOrder.Parse("[P]\nTop\nLeftSibling  RightSibling\nBottom\n");
        var graph = FolderGraph.FromEdges(
            ["Top", "LeftSibling", "RightSibling", "Bottom", "Stray"],
            ("Top", "Bottom"),
            ("Bottom", "Top"),
            ("LeftSibling", "RightSibling"),
            ("Stray", "Bottom"));

        order.Check("P", graph).Should().Equal(
            "Folder 'Stray' holds source but is not in the layer order of P in eng/layers.txt. Add it on the line of its layer.",
            "Bottom → Top (Bottom/File.cs names TopType): 'Bottom' may not depend on 'Top', which is above it.",
            "LeftSibling → RightSibling (LeftSibling/File.cs names RightSiblingType): 'LeftSibling' may not depend on 'RightSibling', its sibling on the same line.");
    }
}
