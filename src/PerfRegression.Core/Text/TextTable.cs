using System.Text;

namespace PerfRegression.Text;

/// <summary>A plain-text table with a header row: first column left-aligned, the others right-aligned.</summary>
internal sealed class TextTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = [];
    private readonly bool[] _leftAligned;

    public TextTable(params string[] header)
    {
        _header = header;
        _leftAligned = new bool[header.Length];
        _leftAligned[0] = true;
    }

    public TextTable LeftAlign(int column)
    {
        _leftAligned[column] = true;
        return this;
    }

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(StringBuilder output, string indent = "  ")
    {
        var widths = new int[_header.Length];
        foreach (var row in _rows.Prepend(_header))
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in _rows.Prepend(_header))
        {
            var line = new StringBuilder(indent);
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    line.Append("  ");
                }

                line.Append(_leftAligned[i] ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]));
            }

            output.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }
}
