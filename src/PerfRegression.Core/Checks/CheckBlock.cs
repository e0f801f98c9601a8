using System.Text.Json.Serialization;

namespace PerfRegression.Checks;

/// <summary>A part of a check's section: lines of text or a table, indented by <see cref="Indent"/> levels below the section's own.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TextBlock), "text")]
[JsonDerivedType(typeof(TableBlock), "table")]
public abstract record CheckBlock
{
    private protected CheckBlock()
    {
    }

    /// <summary>Extra indentation levels.</summary>
    /// <value>The default value is 0: the section's own indentation.</value>
    public int Indent { get; init; }
}

/// <summary>Lines of text, each rendered on its own line.</summary>
/// <param name="Lines">The lines, without indentation.</param>
public sealed record TextBlock(IReadOnlyList<string> Lines) : CheckBlock;

/// <summary>A table with a header row; the first column (and any in <see cref="LeftAligned"/>) is left-aligned, numbers right-aligned.</summary>
/// <param name="Header">The column titles.</param>
/// <param name="Rows">The rows, each with as many cells as the header.</param>
public sealed record TableBlock(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : CheckBlock
{
    /// <summary>Further left-aligned columns (0-based), e.g. a text column in the middle.</summary>
    /// <value>The default value is empty: only the first column.</value>
    public IReadOnlyList<int> LeftAligned { get; init; } = [];
}

/// <summary>The blocks that show a check's items: one table (the subject under <c>subject</c>, the verdict with FAIL or warn where it counts), then each item's reason.</summary>
internal static class ItemBlocks
{
    public static IEnumerable<CheckBlock> Of(IReadOnlyList<CheckItem> items, string subject, IReadOnlyList<int> leftAligned)
    {
        if (items.Count == 0)
        {
            yield break;
        }

        yield return new TableBlock(
            [subject, "check", "expected", "measured", "evidence", "verdict"],
            items.Select(i => (IReadOnlyList<string>)[i.Subject, i.Check, i.Expected, i.Measured, i.Evidence, i.Severity == CheckSeverity.Fail ? $"{i.Verdict}: FAIL" : i.Severity == CheckSeverity.Warn ? $"{i.Verdict}: warn" : i.Verdict]).ToArray())
        {
            LeftAligned = leftAligned,
        };
        foreach (var item in items.Where(i => i.Reason is not null))
        {
            yield return new TextBlock([$"{item.Subject} {item.Check}: {item.Reason}."]);
        }
    }
}
