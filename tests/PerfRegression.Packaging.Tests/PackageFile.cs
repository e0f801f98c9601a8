using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PerfRegression.Packaging.Tests;

/// <summary>One <c>.nupkg</c> read as NuGet reads it: its nuspec, its files, and the <c>.snupkg</c> beside it.</summary>
public sealed partial class PackageFile
{
    PackageFile(string path, XElement metadata, IReadOnlyDictionary<string, byte[]> files)
    {
        Path = path;
        Metadata = metadata;
        Files = files;
    }

    public string Path { get; }

    public XElement Metadata { get; }

    /// <summary>Every file of the package but NuGet's own bookkeeping, by its path inside the package.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    public string Id => Value("id");

    public string Version => Value("version");

    public string Value(string element) => Metadata.Elements().FirstOrDefault(e => e.Name.LocalName == element)?.Value ?? "";

    public XElement? Element(string element) => Metadata.Elements().FirstOrDefault(e => e.Name.LocalName == element);

    /// <summary>The package ids this one depends on, with their versions, for its one target framework.</summary>
    public IReadOnlyDictionary<string, string> Dependencies =>
        Metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);

    public IReadOnlyList<string> FrameworkReferences =>
        Metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference").Select(e => (string)e.Attribute("name")!).ToList();

    public string Text(string file) => System.Text.Encoding.UTF8.GetString(Files[file]);

    public string SymbolsPath => System.IO.Path.ChangeExtension(Path, ".snupkg");

    public PackageFile Symbols() => Open(SymbolsPath);

    public static PackageFile Open(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var files = zip.Entries
            .Where(e => !e.FullName.EndsWith('/') && !IsNuGetBookkeeping(e.FullName))
            .ToDictionary(e => Uri.UnescapeDataString(e.FullName), ReadAll, StringComparer.Ordinal);
        var nuspec = files.Single(f => f.Key.EndsWith(".nuspec", StringComparison.Ordinal) && !f.Key.Contains('/', StringComparison.Ordinal));
        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(nuspec.Value).TrimStart('\uFEFF'));
        var metadata = document.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return new PackageFile(path, metadata, files);
    }

    /// <summary>The id in a package's file name (<c>Id.1.2.3-alpha.0.4.nupkg</c>): everything before the version.</summary>
    public static string IdOf(string path) => VersionSuffix().Replace(System.IO.Path.GetFileNameWithoutExtension(path), "");

    static bool IsNuGetBookkeeping(string name) =>
        name.StartsWith("_rels/", StringComparison.Ordinal) || name.StartsWith("package/", StringComparison.Ordinal) || name == "[Content_Types].xml";

    static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [GeneratedRegex(@"\.\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex VersionSuffix();
}
