using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PerfRegression.Packaging.Tests;

/// <summary>
/// What a team adopting the packages gets: the metadata NuGet shows, each package's own README, the assemblies with
/// their XML docs, symbols that match them, and exactly the dependencies intended (so a build-time package such as
/// MinVer or an analyzer never leaks to users, and a new dependency is a visible change here).
/// </summary>
public sealed partial class PackageInspectionTests(PackedPackages packages) : IClassFixture<PackedPackages>
{
    /// <summary>What each package brings to its users, beyond the .NET runtime. Versions come from Directory.Packages.props.</summary>
    static readonly Dictionary<string, string[]> IntendedDependencies = new(StringComparer.Ordinal)
    {
        // Hosting the app (WebApplicationFactory, TestServer), the xUnit attributes, latency histograms, statistics.
        ["PerfRegression.Core"] = ["HdrHistogram", "Microsoft.AspNetCore.Mvc.Testing", "Perfolizer", "xunit.v3.extensibility.core"],
        ["PerfRegression.PostgreSql"] = ["PerfRegression.Core", "Npgsql", "Testcontainers.PostgreSql"],
        ["PerfRegression.FluentAssertions"] = ["PerfRegression.Core", "FluentAssertions"],
        ["PerfRegression.BenchmarkDotNet"] = ["PerfRegression.Core", "BenchmarkDotNet"],
        // A .NET tool carries its dependencies inside the package.
        ["PerfRegression.Tool"] = [],
    };

    public static TheoryData<string> Ids => new(PackedPackages.Ids);

    [Theory, MemberData(nameof(Ids))]
    public void Carries_the_metadata_a_NuGet_user_sees(string id)
    {
        var package = packages.Package(id);

        package.Id.Should().Be(id);
        package.Value("description").Length.Should().BeGreaterThan(40, "the description is what a search result shows");
        package.Value("authors").Should().NotBeNullOrWhiteSpace();
        package.Element("license")!.Attribute("type")!.Value.Should().Be("expression");
        package.Value("license").Should().Be("MIT");
        package.Value("projectUrl").Should().StartWith("https://");
        package.Value("releaseNotes").Should().StartWith("https://");
        package.Value("tags").Split(' ').Should().Contain(["performance", "xunit"]);
        var repository = package.Element("repository")!;
        repository.Attribute("type")!.Value.Should().Be("git");
        repository.Attribute("url")!.Value.Should().StartWith("https://");
        repository.Attribute("commit")!.Value.Should().MatchRegex("^[0-9a-f]{40}$", "a package names the commit it was built from");

        package.Value("icon").Should().Be("icon.png");
        package.Files["icon.png"].Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
    }

    [Theory, MemberData(nameof(Ids))]
    public void Has_a_README_of_its_own_that_renders_on_nuget_org(string id)
    {
        var package = packages.Package(id);

        package.Value("readme").Should().Be("README.md");
        var readme = package.Text("README.md");
        readme.Should().StartWith($"# {id}\n", "each package has a focused README, not the repository's");
        readme.Length.Should().BeLessThan(6000, "the repository's README is the manual; a package's says what it is and how to start");
        // nuget.org renders the README outside the repository: a relative link would lead nowhere.
        RelativeLink().Matches(readme).Select(m => m.Value).Should().BeEmpty();
    }

    [Theory, MemberData(nameof(Ids))]
    public void Ships_its_assemblies_with_their_XML_docs(string id)
    {
        var package = packages.Package(id);
        var (folder, assembly) = id == "PerfRegression.Tool" ? ("tools/net10.0/any/", "dotnet-perf") : ("lib/net10.0/", id);

        package.Files.Keys.Should().Contain(folder + assembly + ".dll");
        if (id == "PerfRegression.Tool")
        {
            package.Metadata.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => (string)e.Attribute("name")!)
                .Should().Equal("DotnetTool");
            package.Files.Keys.Should().Contain([folder + "PerfRegression.Core.dll", folder + "DotnetToolSettings.xml"]);
            return;
        }

        package.Files.Keys.Where(f => f.StartsWith("lib/", StringComparison.Ordinal))
            .Should().BeEquivalentTo([folder + assembly + ".dll", folder + assembly + ".xml"], "a library package holds its one assembly and its docs");
        var docs = XDocument.Parse(package.Text(folder + assembly + ".xml"));
        var documented = docs.Descendants("member").Select(m => (string)m.Attribute("name")!).Where(n => n.StartsWith("T:", StringComparison.Ordinal)).ToList();
        documented.Should().NotBeEmpty("IntelliSense shows the public types' docs from this file");
        foreach (var type in PublicTypes(package.Files[folder + assembly + ".dll"]))
            documented.Should().Contain("T:" + type, "every public type is documented");
    }

    [Theory, MemberData(nameof(Ids))]
    public void Depends_on_exactly_what_it_needs(string id)
    {
        var package = packages.Package(id);
        var versions = CentralVersions();

        package.Dependencies.Keys.Should().BeEquivalentTo(IntendedDependencies[id]);
        foreach (var (dependency, version) in package.Dependencies)
        {
            var intended = dependency.StartsWith("PerfRegression.", StringComparison.Ordinal) ? package.Version : versions[dependency];
            version.Should().Be(intended, $"{id} depends on {dependency} at the version the repository builds with");
        }
        // Core's load targets host ASP.NET Core apps, so it needs the shared framework; the others get it through Core.
        package.FrameworkReferences.Should().BeEquivalentTo(id == "PerfRegression.Core" ? ["Microsoft.AspNetCore.App"] : []);
    }

    [Theory, MemberData(nameof(Ids))]
    public void Has_symbols_that_match_its_deterministic_assemblies(string id)
    {
        var package = packages.Package(id);
        File.Exists(package.SymbolsPath).Should().BeTrue($"{Path.GetFileName(package.SymbolsPath)} is packed beside the package");
        var symbols = package.Symbols();
        symbols.Id.Should().Be(id);
        symbols.Version.Should().Be(package.Version);

        var own = id == "PerfRegression.Tool" ? "tools/net10.0/any/dotnet-perf" : $"lib/net10.0/{id}";
        using var pe = new PEReader(new MemoryStream(package.Files[own + ".dll"]));
        var debug = pe.ReadDebugDirectory();
        debug.Should().Contain(e => e.Type == DebugDirectoryEntryType.Reproducible, "a deterministic build marks its assembly reproducible");
        var codeView = pe.ReadCodeViewDebugDirectoryData(debug.First(e => e.Type == DebugDirectoryEntryType.CodeView));

        symbols.Files.Keys.Should().Contain(own + ".pdb");
        using var pdb = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(symbols.Files[own + ".pdb"]));
        var pdbId = new BlobContentId(pdb.GetMetadataReader().DebugMetadataHeader!.Id);
        pdbId.Guid.Should().Be(codeView.Guid, "the symbols are those of the packed assembly");
    }

    [Fact]
    public void Every_package_has_one_version_from_git()
    {
        var versions = PackedPackages.Ids.Select(id => packages.Package(id).Version).Distinct().ToList();

        versions.Should().ContainSingle("the packages are released together, so they reference each other at one version");
        versions[0].Should().MatchRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$");
        var core = packages.Package("PerfRegression.Core");
        using var pe = new PEReader(new MemoryStream(core.Files["lib/net10.0/PerfRegression.Core.dll"]));
        var reader = pe.GetMetadataReader();
        var informational = reader.GetAssemblyDefinition().GetCustomAttributes()
            .Select(reader.GetCustomAttribute)
            .Where(a => AttributeName(reader, a) == "AssemblyInformationalVersionAttribute")
            .Select(a => ReadStringArgument(reader, a))
            .Single();
        informational.Should().StartWith(versions[0] + "+", "the assembly names the version and commit it was packed as");
    }

    [Fact]
    public void Core_carries_the_notices_of_what_it_embeds()
    {
        var notices = packages.Package("PerfRegression.Core").Text("THIRD-PARTY-NOTICES.md");

        notices.Should().Contain("uPlot").And.Contain("MIT");
    }

    Dictionary<string, string> CentralVersions() =>
        XDocument.Load(Path.Combine(packages.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.Ordinal);

    static List<string> PublicTypes(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        var reader = pe.GetMetadataReader();
        var types = new List<string>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if ((type.Attributes & System.Reflection.TypeAttributes.VisibilityMask) != System.Reflection.TypeAttributes.Public) continue;
            var name = reader.GetString(type.Name);
            var ns = reader.GetString(type.Namespace);
            types.Add((ns.Length == 0 ? "" : ns + ".") + name);
        }
        return types;
    }

    static string AttributeName(MetadataReader reader, CustomAttribute attribute)
    {
        var constructor = attribute.Constructor;
        if (constructor.Kind != HandleKind.MemberReference) return "";
        var parent = reader.GetMemberReference((MemberReferenceHandle)constructor).Parent;
        return parent.Kind == HandleKind.TypeReference ? reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name) : "";
    }

    static string? ReadStringArgument(MetadataReader reader, CustomAttribute attribute)
    {
        var blob = reader.GetBlobReader(attribute.Value);
        blob.ReadUInt16(); // the prolog, 0x0001
        return blob.ReadSerializedString();
    }

    [GeneratedRegex(@"\]\((?!https?://)[^)]*\)")]
    private static partial Regex RelativeLink();
}
