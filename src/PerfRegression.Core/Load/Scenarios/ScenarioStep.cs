namespace PerfRegression;

/// <summary>One named step of a scenario. Each step is a route in the report, with its own statistics.</summary>
public sealed class ScenarioStep
{
    internal ScenarioStep(string name, Func<VirtualUser, HttpRequestMessage>? request, Func<VirtualUser, CancellationToken, Task>? action, Check[] checks, string? fixedPath = null, bool hasFixedPath = false)
    {
        Name = name;
        Request = request;
        Action = action;
        CheckList = checks;
        FixedPath = fixedPath;
        HasFixedPath = hasFixedPath;
    }

    /// <summary>The step's name, which is its route name in the report and in budgets.</summary>
    public string Name { get; }

    /// <summary>The checks applied to the step's response.</summary>
    public IReadOnlyList<Check> Checks => CheckList;

    /// <summary>Whether the step sends an HTTP request through the user's client.</summary>
    public bool IsHttp => Request is not null;

    /// <summary>Builds the request of an HTTP step; the runner sends it inline, on its hot path.</summary>
    internal Func<VirtualUser, HttpRequestMessage>? Request { get; }

    /// <summary>Runs a step that is any code.</summary>
    internal Func<VirtualUser, CancellationToken, Task>? Action { get; }

    internal Check[] CheckList { get; }

    /// <summary>The path or URL given as text (Get/Post with a fixed path, the one-line form), validated before the run.</summary>
    internal string? FixedPath { get; }

    /// <summary>Whether the step was given its path as text (possibly null), rather than as a function.</summary>
    internal bool HasFixedPath { get; }

    /// <summary>Whether the step uses the user's WebSocket, which only some targets can open (checked before the run).</summary>
    internal bool UsesWebSocket { get; init; }

    /// <summary>What the step's builder found wrong with its arguments, completing "Step 'x' of scenario 'y' …"; reported before the run.</summary>
    internal string? Problem { get; init; }
}
