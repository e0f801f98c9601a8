namespace PerfRegression;

/// <summary>
/// The ambient scope of one test: budget attributes open it before the test body, every load run in
/// the body adds its report to it, and the attributes evaluate those reports after the body.
/// Framework-free: the xUnit attributes are thin glue over it.
/// </summary>
internal sealed class MeasurementScope
{
    private static readonly AsyncLocal<MeasurementScope?> Ambient = new();
    private readonly List<LoadReport> _reports = [];
    private readonly List<Budget> _budgets = [];

    public static MeasurementScope? Current => Ambient.Value;

    public int Openers { get; private set; }

    public IReadOnlyList<LoadReport> Reports
    {
        get
        {
            lock (_reports)
            {
                return _reports.ToArray();
            }
        }
    }

    public IReadOnlyList<Budget> Budgets => _budgets;

    /// <summary>Joins the current scope, or opens one; each opener adds its budgets.</summary>
    public static MeasurementScope Enter(IEnumerable<Budget> budgets)
    {
        var scope = Ambient.Value ??= new MeasurementScope();
        scope.Openers++;
        scope._budgets.AddRange(budgets);
        return scope;
    }

    /// <summary>Leaves the scope; returns whether this was the last opener (who then evaluates).</summary>
    public bool Leave()
    {
        Openers--;
        if (Openers > 0)
        {
            return false;
        }

        Ambient.Value = null;
        return true;
    }

    public void Add(LoadReport report)
    {
        lock (_reports)
        {
            _reports.Add(report);
        }
    }
}
