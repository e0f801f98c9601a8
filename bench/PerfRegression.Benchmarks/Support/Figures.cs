using System.Globalization;

namespace PerfRegression.Benchmarks.Support;

/// <summary>
/// A suite's figures. Each is shown in the human-readable output when it is measured, and all are printed
/// again at the end as <c>name=value</c> lines (invariant culture) for scripts to read.
/// </summary>
internal sealed class Figures
{
    private readonly List<string> _lines = [];

    public void Add(string name, double value, string format)
        => _lines.Add(name + "=" + value.ToString(format, CultureInfo.InvariantCulture));

    /// <summary>Adds a figure that has a target, and says in the human-readable output whether it was met.</summary>
    public void AddWithTarget(string name, double value, string format, string target, bool met)
    {
        Add(name, value, format);
        Console.WriteLine($"  {name} = {value.ToString(format, CultureInfo.InvariantCulture)}   target {target}: {(met ? "met" : "MISSED")}");
    }

    public void Print()
    {
        Console.WriteLine();
        foreach (var line in _lines)
        {
            Console.WriteLine(line);
        }
    }
}
