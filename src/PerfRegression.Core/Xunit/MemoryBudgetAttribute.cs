using PerfRegression.Session;

namespace PerfRegression;

/// <summary>
/// Budgets on what a load run does to memory, for an xUnit v3 test: <c>[Fact, MemoryBudget(GrowthPer1000RequestsMegabytes = 100)]</c>.
/// With it, each of the test's runs takes a full collection just before and just after its measured phase (outside
/// it, so latencies are not touched) and samples the working set meanwhile; the budgets are checked after the body
/// with the test's other budgets, in the same verdict. See <see cref="MemoryUsage"/> for what is measured and how the
/// runner's own share is kept out. The heap is the whole process's: run such tests alone (an xUnit collection with
/// <c>DisableParallelization = true</c>); a run that other tests of the process overlapped cannot be checked and says
/// so. Allowed several times and on a class; adds the trait <c>Category=Performance</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class MemoryBudgetAttribute : PerfCheckAttribute
{
    private const double Megabyte = 1024 * 1024;

    private double? _growth;
    private double? _heap;
    private double? _workingSet;

    /// <summary>
    /// The route the budgets apply to, which must be its scenario's only step (memory is measured per run). Unset: each scenario's run.
    /// </summary>
    public string? Route { get; set; }

    /// <summary>Managed heap growth per 1,000 requests at most this many megabytes (1 MB = 1,048,576 bytes): what a leak costs. Unset: not checked.</summary>
    public double GrowthPer1000RequestsMegabytes
    {
        get => _growth ?? double.NaN;
        set => _growth = value;
    }

    /// <summary>Managed heap after a full collection at the end of the run at most this many megabytes. Unset: not checked.</summary>
    public double HeapAfterRunMegabytes
    {
        get => _heap ?? double.NaN;
        set => _heap = value;
    }

    /// <summary>The process's working set (resident memory) at most this many megabytes throughout the run. Unset: not checked.</summary>
    public double WorkingSetMegabytes
    {
        get => _workingSet ?? double.NaN;
        set => _workingSet = value;
    }

    /// <summary>The budgets this attribute states.</summary>
    public IReadOnlyList<Budget> Budgets
    {
        get
        {
            var budgets = new List<Budget>();
            if (_growth is { } growth)
            {
                budgets.Add(Budget.HeapGrowthPer1000Requests(growth * Megabyte, Route));
            }

            if (_heap is { } heap)
            {
                budgets.Add(Budget.HeapAfterRun(heap * Megabyte, Route));
            }

            if (_workingSet is { } workingSet)
            {
                budgets.Add(Budget.WorkingSetPeak(workingSet * Megabyte, Route));
            }

            return budgets;
        }
    }

    /// <summary>At least one budget, each possible.</summary>
    protected override IReadOnlyList<string> Validate()
    {
        var budgets = Budgets;
        return budgets.Count == 0
            ? ["[MemoryBudget] states no budget. Give at least one, e.g. [MemoryBudget(GrowthPer1000RequestsMegabytes = 100)], [MemoryBudget(HeapAfterRunMegabytes = 512)] or [MemoryBudget(WorkingSetMegabytes = 1024)]."]
            : budgets.SelectMany(b => b.Validate()).ToArray();
    }

    /// <summary>Adds the budgets to the test's session, whose runs then measure memory.</summary>
    protected override void Configure(PerfSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.AddBudgets(Budgets);
    }
}
