using PerfRegression.Session;

namespace PerfRegression;

/// <summary>
/// Budgets on what a request costs, for an xUnit v3 test: <c>[Fact, ResourceBudget(CpuMilliseconds = 2, AllocatedKilobytes = 64)]</c>.
/// Unlike latency, these barely move when other programs share the machine, so a tight budget does not flake. Each
/// is per request of a load run (this process's CPU time and allocations, the database client's operations; see
/// <see cref="ResourceUsage"/> for what each includes), checked after the body with the test's other budgets, in the
/// same verdict. Measured per scenario: a scenario of one step gives its route's cost. Allowed several times and on a
/// class; adds the trait <c>Category=Performance</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class ResourceBudgetAttribute : PerfCheckAttribute
{
    private double? _cpu;
    private double? _allocated;
    private double? _database;
    private double? _gen0;
    private double? _response;

    /// <summary>
    /// The route the budgets apply to: for CPU, allocations, database operations and collections it must be its
    /// scenario's only step (they are measured per scenario); response bytes are measured per route. Unset: each
    /// scenario's average request.
    /// </summary>
    public string? Route { get; set; }

    /// <summary>CPU time of this process per request at most this many milliseconds. Unset: not checked.</summary>
    public double CpuMilliseconds
    {
        get => _cpu ?? double.NaN;
        set => _cpu = value;
    }

    /// <summary>Bytes allocated by this process per request at most this many kilobytes (1 KB = 1,024 bytes). Unset: not checked.</summary>
    public double AllocatedKilobytes
    {
        get => _allocated ?? double.NaN;
        set => _allocated = value;
    }

    /// <summary>Database operations per request at most this many (1 for a route that must stay one query). Unset: not checked.</summary>
    public double DatabaseOperations
    {
        get => _database ?? double.NaN;
        set => _database = value;
    }

    /// <summary>Generation-0 collections per 1,000 requests at most this many. Unset: not checked.</summary>
    public double Gen0Per1000Requests
    {
        get => _gen0 ?? double.NaN;
        set => _gen0 = value;
    }

    /// <summary>Response body bytes per request at most this many kilobytes (1 KB = 1,024 bytes), as the client received them. Unset: not checked.</summary>
    public double ResponseKilobytes
    {
        get => _response ?? double.NaN;
        set => _response = value;
    }

    /// <summary>The budgets this attribute states.</summary>
    public IReadOnlyList<Budget> Budgets
    {
        get
        {
            var budgets = new List<Budget>();
            if (_cpu is { } cpu)
            {
                budgets.Add(Budget.CpuPerRequest(cpu, Route));
            }

            if (_allocated is { } kilobytes)
            {
                budgets.Add(Budget.AllocatedPerRequest(kilobytes * 1024, Route));
            }

            if (_database is { } operations)
            {
                budgets.Add(Budget.DatabaseOperationsPerRequest(operations, Route));
            }

            if (_gen0 is { } collections)
            {
                budgets.Add(Budget.Gen0Per1000Requests(collections, Route));
            }

            if (_response is { } responseKilobytes)
            {
                budgets.Add(Budget.ResponseBytesPerRequest(responseKilobytes * 1024, Route));
            }

            return budgets;
        }
    }

    /// <summary>At least one budget, each possible.</summary>
    protected override IReadOnlyList<string> Validate()
    {
        var budgets = Budgets;
        return budgets.Count == 0
            ? ["[ResourceBudget] states no budget. Give at least one, e.g. [ResourceBudget(CpuMilliseconds = 2)], [ResourceBudget(AllocatedKilobytes = 64)] or [ResourceBudget(DatabaseOperations = 1)]."]
            : budgets.SelectMany(b => b.Validate()).ToArray();
    }

    /// <summary>Adds the budgets to the test's session.</summary>
    protected override void Configure(PerfSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.AddBudgets(Budgets);
    }
}
