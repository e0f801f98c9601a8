using System.Globalization;

namespace PerfRegression.Measurement;

/// <summary>
/// Reads Linux's <c>/proc/{pid}/stat</c>, numbering fields as proc(5) does: field 22 is the start time in clock
/// ticks, which with the PID names a process even after its PID is reused.
/// </summary>
public sealed class ProcStat
{
    private readonly string[] _fields;

    private ProcStat(string[] fields) => _fields = fields;

    /// <summary>The process's stat line; throws <see cref="IOException"/> when there is no such process.</summary>
    public static ProcStat Read(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) may hold spaces and parentheses: split after its closing parenthesis.
        return new ProcStat(text[(text.LastIndexOf(')') + 2)..].Split(' '));
    }

    /// <summary>Field <paramref name="number"/> (1-based, as in proc(5); 3 or more) as text.</summary>
    public string Text(int number) => _fields[number - 3];

    /// <summary>Field <paramref name="number"/> as a number.</summary>
    public long Number(int number) => long.Parse(Text(number), CultureInfo.InvariantCulture);
}
