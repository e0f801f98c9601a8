using PerfRegression.Text;

namespace PerfRegression;

/// <summary>Assertions on a capacity search in code; <c>[CapacityBudget]</c> states the same in the test's verdict.</summary>
public static class CapacityReportExtensions
{
    /// <summary>Fails when the capacity found is below <paramref name="rate"/>, with the search's summary.</summary>
    /// <exception cref="PerfCheckException">The capacity is below <paramref name="rate"/>, or none was found.</exception>
    public static CapacityReport EnsureAtLeast(this CapacityReport report, double rate)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.WithinBudget is { } found && found >= rate)
        {
            return report;
        }

        throw new PerfCheckException($"Capacity of '{report.Scenario}' is {(report.WithinBudget is { } f ? Formatting.Rate(f) : "below the start rate")}, below the {Formatting.Rate(rate)} required.\n\n{report.ToSummary()}");
    }
}
