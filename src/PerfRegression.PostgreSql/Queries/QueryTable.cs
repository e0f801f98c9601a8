using System.Text;

namespace PerfRegression.PostgreSql;

/// <summary>
/// A plain-text table with a header row: the first column left-aligned, the others right-aligned, lines
/// ending in <c>\n</c>. PerfRegression.Core has the same table, internal to that assembly.
/// </summary>
internal sealed class QueryTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = [];

    public QueryTable(params string[] header) => _header = header;

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

        var line = new StringBuilder();
        foreach (var row in _rows.Prepend(_header))
        {
            line.Clear().Append(indent);
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    line.Append("  ");
                }

                line.Append(i == 0 ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]));
            }

            output.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }
}
