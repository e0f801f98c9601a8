using PerfRegression.Session;

namespace PerfRegression;

/// <summary>
/// A capacity budget for an xUnit v3 test that searches capacity with <see cref="Capacity.FindAsync"/>:
/// <c>[Fact, CapacityBudget(200)]</c> requires at least 200 iterations a second within the search's budgets, and
/// fails when capacity dropped by more than <see cref="MaxDropPercent"/> against the capacity baseline
/// (see <see cref="CapacityCheck"/>). Without a minimum, <c>[CapacityBudget]</c> gates against the baseline only.
/// Adds the trait <c>Category=Performance</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class CapacityBudgetAttribute : PerfCheckAttribute
{
    /// <summary>Gates capacity against the baseline, with no minimum.</summary>
    public CapacityBudgetAttribute()
    {
    }

    /// <summary>Requires at least <paramref name="minimum"/> iterations a second within budget, and gates against the baseline.</summary>
    /// <param name="minimum">The capacity required, iterations per second.</param>
    public CapacityBudgetAttribute(double minimum) => Minimum = minimum;

    /// <summary>The capacity required, iterations per second within budget; <see langword="null"/> for none.</summary>
    public double? Minimum { get; }

    /// <summary>The drop of capacity against the baseline that fails the test, in percent. Default 20.</summary>
    public double MaxDropPercent { get; set; } = 20;

    /// <summary>Whether capacity is compared with (and recorded as) a baseline. Default <see langword="true"/>.</summary>
    public bool CompareWithBaseline { get; set; } = true;

    /// <summary>The check this attribute states.</summary>
    public CapacityCheck Check => new() { Minimum = Minimum, MaxDrop = MaxDropPercent / 100, CompareWithBaseline = CompareWithBaseline };

    /// <summary>A minimum greater than zero, a drop between 0 and 100%.</summary>
    protected override IReadOnlyList<string> Validate() => Check.Validate();

    /// <summary>Adds the check to the test's session.</summary>
    protected override void Configure(PerfSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.AddCheck(Check);
    }
}
