using System.Reflection;

namespace PerfRegression;

/// <summary>
/// The ambient scope of one test: performance attributes open it before the test body, every load run
/// in the body adds its report (and consults the regression gate), and the last attribute evaluates
/// everything after the body. Framework-free: the xUnit attributes are thin glue over it.
/// </summary>
internal sealed class MeasurementScope
{
    private static readonly AsyncLocal<MeasurementScope?> Ambient = new();
    private readonly List<LoadReport> _reports = [];
    private readonly List<Budget> _budgets = [];
    private readonly List<IScopeCheck> _checks = [];
    private RegressionGate? _gate;
    private bool _gateCreated;

    public static MeasurementScope? Current => Ambient.Value;

    public int Openers { get; private set; }

    public MethodInfo? Method { get; private set; }

    public IReadOnlyList<object?>? Arguments { get; private set; }

    /// <summary>The gate policy a <c>[RegressionGate]</c> set; <see langword="null"/> for the default.</summary>
    public GatePolicy? Policy { get; private set; }

    public bool GateDisabled { get; private set; }

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

    /// <summary>Further checks decided with the budgets (e.g. database findings).</summary>
    public IReadOnlyList<IScopeCheck> Checks => _checks;

    public void AddCheck(IScopeCheck check) => _checks.Add(check);

    /// <summary>Joins the current scope, or opens one; each opener adds its budgets.</summary>
    public static MeasurementScope Enter(IEnumerable<Budget> budgets, MethodInfo? method = null, IReadOnlyList<object?>? arguments = null)
    {
        var scope = Ambient.Value ??= new MeasurementScope();
        scope.Openers++;
        scope._budgets.AddRange(budgets);
        scope.Method ??= method;
        scope.Arguments ??= arguments;
        return scope;
    }

    public void Configure(GatePolicy? policy, bool disabled)
    {
        Policy = policy ?? Policy;
        GateDisabled |= disabled;
    }

    /// <summary>The test's regression gate, created on first use (so every attribute has configured it); <see langword="null"/> when disabled.</summary>
    public RegressionGate? Gate()
    {
        if (_gateCreated)
        {
            return _gate;
        }

        _gateCreated = true;
        if (GateDisabled || Method is null)
        {
            return null;
        }

        var settings = PerfSettings.Current;
        var start = Path.GetDirectoryName(Method.DeclaringType?.Assembly.Location) is { Length: > 0 } location ? location : AppContext.BaseDirectory;
        _gate = new RegressionGate(
            TestIdentity.From(Method, Arguments),
            Policy ?? GatePolicy.Default,
            settings,
            BaselineStore.Resolve(settings, start),
            EnvironmentFingerprint.Current(Method.DeclaringType?.Assembly));
        return _gate;
    }

    /// <summary>Uses <paramref name="gate"/> instead of one built from the process's settings (for tests of the gate).</summary>
    internal void UseGate(RegressionGate gate)
    {
        _gate = gate;
        _gateCreated = true;
    }

    /// <summary>The gate if one was used by a run of this test.</summary>
    public RegressionGate? UsedGate => _gateCreated ? _gate : null;

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
