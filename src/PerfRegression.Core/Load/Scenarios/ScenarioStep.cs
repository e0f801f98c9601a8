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

    /// <summary>The group of steps this step belongs to (<see cref="Scenario.Group"/>), nested groups joined by <c>::</c>; <see langword="null"/> outside any group.</summary>
    public string? Group { get; private init; }

    /// <summary>The step's own tags (<see cref="Scenario.Tagged"/>); its route also carries the scenario's tags and the implicit <c>scenario</c> tag.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; private init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The step's route labels: the scenario's tags, then the step's own, and <c>scenario</c> naming the scenario.</summary>
    internal IReadOnlyDictionary<string, string> TagsWith(Scenario scenario)
    {
        var all = new SortedDictionary<string, string>(scenario.Tags.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in Tags)
        {
            all[key] = value;
        }

        all[Scenario.ScenarioTag] = scenario.Name;
        return all;
    }

    /// <summary>A copy of this step with <paramref name="group"/> and <paramref name="tags"/>.</summary>
    internal ScenarioStep WithLabels(string? group, IReadOnlyDictionary<string, string> tags) => new(Name, Request, Action, CheckList, FixedPath, HasFixedPath)
    {
        UsesWebSocket = UsesWebSocket,
        Problem = Problem,
        Group = group,
        Tags = tags,
    };

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
