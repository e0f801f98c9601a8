namespace PerfRegression;

/// <summary>
/// What each virtual user does in one iteration: named steps (each a route with its own statistics),
/// checks on responses, think time, and state set up once per user. Immutable: every method returns
/// a new scenario, so a base scenario can be shared and extended.
/// </summary>
/// <example>
/// <code>
/// var journey = Scenario.Create("journey")
///     .Setup((user, ct) => LogInAsync(user, ct))
///     .Get("plan-calendar", u => $"/plan?week={weeks.Next(u)}", Check.Status(200))
///     .Get("shopping-list", "/shopping?week=2026-11-23")
///     .WithThinkTime(ThinkTime.Between(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150)));
/// </code>
/// </example>
public sealed class Scenario
{
    private Scenario(string name, IReadOnlyList<ScenarioStep> steps, Func<VirtualUser, CancellationToken, Task>? setup, ThinkTime thinkTime)
    {
        Name = name;
        Steps = steps;
        SetupAction = setup;
        ThinkTime = thinkTime;
    }

    /// <summary>The scenario's name, shown in reports.</summary>
    public string Name { get; }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<ScenarioStep> Steps { get; }

    /// <summary>The pause after each step. The default is <see cref="ThinkTime.None"/>.</summary>
    public ThinkTime ThinkTime { get; }

    internal Func<VirtualUser, CancellationToken, Task>? SetupAction { get; }

    /// <summary>Starts an empty scenario named <paramref name="name"/>.</summary>
    public static Scenario Create(string name) => new(name, [], null, ThinkTime.None);

    /// <summary>Runs once per virtual user before any measured iteration (not measured), e.g. to log in and keep the cookie.</summary>
    public Scenario Setup(Func<VirtualUser, CancellationToken, Task> setup) => new(Name, Steps, setup, ThinkTime);

    /// <summary>Pauses after every step for <paramref name="thinkTime"/>.</summary>
    public Scenario WithThinkTime(ThinkTime thinkTime) => new(Name, Steps, SetupAction, thinkTime ?? ThinkTime.None);

    /// <summary>Adds a GET of a fixed path.</summary>
    public Scenario Get(string name, string path, params Check[] checks)
        => Send(name, _ => new HttpRequestMessage(HttpMethod.Get, path), checks);

    /// <summary>Adds a GET of a path computed per request, e.g. from a data feed.</summary>
    public Scenario Get(string name, Func<VirtualUser, string> path, params Check[] checks)
        => Send(name, u => new HttpRequestMessage(HttpMethod.Get, path(u)), checks);

    /// <summary>Adds a POST with optional content computed per request.</summary>
    public Scenario Post(string name, string path, Func<VirtualUser, HttpContent?>? content = null, params Check[] checks)
        => Send(name, u => new HttpRequestMessage(HttpMethod.Post, path) { Content = content?.Invoke(u) }, checks);

    /// <summary>Adds a POST to a path computed per request (e.g. from a data feed), with optional content.</summary>
    public Scenario Post(string name, Func<VirtualUser, string> path, Func<VirtualUser, HttpContent?>? content = null, params Check[] checks)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Send(name, u => new HttpRequestMessage(HttpMethod.Post, path(u)) { Content = content?.Invoke(u) }, checks);
    }

    /// <summary>Adds a step that sends the request built by <paramref name="request"/> through the user's client.</summary>
    public Scenario Send(string name, Func<VirtualUser, HttpRequestMessage> request, params Check[] checks)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Add(new ScenarioStep(name, request, action: null, checks ?? []));
    }

    /// <summary>
    /// Adds a step that runs any code, e.g. a gRPC call or a database query. It is timed like a request;
    /// an exception makes it an error of kind <c>exception &lt;type&gt;</c>.
    /// </summary>
    public Scenario Step(string name, Func<VirtualUser, CancellationToken, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(new ScenarioStep(name, request: null, action, []));
    }

    /// <summary>Every problem with this scenario; empty when valid.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("The scenario has no name. Name it after what users do, e.g. Scenario.Create(\"plan-calendar\").");
        }

        if (Steps.Count == 0)
        {
            problems.Add($"Scenario '{Name}' has no steps, so it would record no load. Add one with .Get(\"name\", \"/path\") or .Step(\"name\", ...).");
        }

        foreach (var group in Steps.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Scenario '{Name}' has {group.Count()} steps named '{group.Key}'; step names are route names in the report and must be unique. Rename one.");
        }

        foreach (var step in Steps.Where(s => string.IsNullOrWhiteSpace(s.Name)))
        {
            problems.Add($"Scenario '{Name}' has a step without a name. Name every step; the name is its route in the report and in budgets.");
        }

        problems.AddRange(ThinkTime.Validate($"Scenario '{Name}'"));
        return problems;
    }

    private Scenario Add(ScenarioStep step) => new(Name, [.. Steps, step], SetupAction, ThinkTime);

    /// <summary>Parses the one-line form <c>"GET /path"</c> into a single-step scenario.</summary>
    internal static Scenario FromRequestLine(string requestLine)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestLine);
        var parts = requestLine.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || (!parts[1].StartsWith('/') && !Uri.IsWellFormedUriString(parts[1], UriKind.Absolute)))
        {
            throw new PerfConfigurationException($"The request '{requestLine}' is not of the form \"METHOD /path\", e.g. \"GET /plan?week=2026-11-23\".");
        }

        var method = new HttpMethod(parts[0].ToUpperInvariant());
        var path = parts[1];
        var name = $"{method.Method} {path}";
        return Create(name).Send(name, _ => new HttpRequestMessage(method, path));
    }
}
