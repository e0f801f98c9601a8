using System.Globalization;
using PerfRegression.Text;

namespace PerfRegression;

/// <summary>Collects validation problems so that one exception can list all of them.</summary>
internal sealed class Problems
{
    private readonly List<string> _items = [];

    public int Count => _items.Count;

    public IReadOnlyList<string> Items => _items;

    public void Add(string problem) => _items.Add(problem);

    public void AddRange(IEnumerable<string> problems) => _items.AddRange(problems);

    public void ThrowIfAny(string subject)
    {
        if (_items.Count > 0)
        {
            throw new PerfConfigurationException(subject, _items.ToArray());
        }
    }

    /// <summary>Formats a span for messages, invariantly: "250 ms", "30 s", "5 min".</summary>
    public static string Format(TimeSpan value) => Formatting.Duration(value);

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
