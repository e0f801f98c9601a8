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
public sealed partial class Scenario
{
    private Scenario(string name, IReadOnlyList<ScenarioStep> steps, Func<VirtualUser, CancellationToken, Task>? setup, ThinkTime thinkTime, IReadOnlyDictionary<string, string>? tags = null, IReadOnlyList<string>? labelProblems = null)
    {
        Name = name;
        Steps = steps;
        SetupAction = setup;
        ThinkTime = thinkTime;
        Tags = tags ?? NoTags;
        _labelProblems = labelProblems ?? [];
    }

    private static readonly SortedDictionary<string, string> NoTags = new(StringComparer.Ordinal);

    /// <summary>What was wrong with a tag or group given, reported when the run starts with every other problem.</summary>
    private readonly IReadOnlyList<string> _labelProblems;

    /// <summary>Tags of every step of the scenario (<see cref="WithTag"/>); each step's own tags are added to these.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>The scenario's name, shown in reports.</summary>
    public string Name { get; }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<ScenarioStep> Steps { get; }

    /// <summary>The pause after each step. The default is <see cref="ThinkTime.None"/>.</summary>
    public ThinkTime ThinkTime { get; }

    internal Func<VirtualUser, CancellationToken, Task>? SetupAction { get; }

    /// <summary>Starts an empty scenario named <paramref name="name"/>.</summary>
    public static Scenario Create(string name) => new(name, [], null, ThinkTime.None);

    private Scenario With(IReadOnlyList<ScenarioStep>? steps = null, IReadOnlyDictionary<string, string>? tags = null, string? problem = null)
        => new(Name, steps ?? Steps, SetupAction, ThinkTime, tags ?? Tags, problem is null ? _labelProblems : [.. _labelProblems, problem]);

    /// <summary>Runs once per virtual user before any measured iteration (not measured), e.g. to log in and keep the cookie.</summary>
    public Scenario Setup(Func<VirtualUser, CancellationToken, Task> setup) => new(Name, Steps, setup, ThinkTime, Tags, _labelProblems);

    /// <summary>Pauses after every step for <paramref name="thinkTime"/>.</summary>
    public Scenario WithThinkTime(ThinkTime thinkTime) => new(Name, Steps, SetupAction, thinkTime ?? ThinkTime.None, Tags, _labelProblems);

    /// <summary>
    /// Adds a GET of a fixed path, relative to the target (a base URL's path prefix, e.g. <c>/api</c>, is kept).
    /// An absolute URL must point at the target itself.
    /// </summary>
    public Scenario Get(string name, string path, params Check[] checks)
        => Add(new ScenarioStep(name, FixedRequest(HttpMethod.Get, path), action: null, checks ?? [], path, hasFixedPath: true));

    /// <summary>
    /// The request of a step with a fixed path, its URI parsed once rather than on every request (a Uri is immutable and
    /// the client never changes it). A path that does not parse is left to fail on every request, as it always did.
    /// </summary>
    private static Func<VirtualUser, HttpRequestMessage> FixedRequest(HttpMethod method, string path, Func<VirtualUser, HttpContent?>? content = null)
    {
        if (string.IsNullOrEmpty(path) || !Uri.TryCreate(path, UriKind.RelativeOrAbsolute, out var uri))
        {
            return u => new HttpRequestMessage(method, path) { Content = content?.Invoke(u) };
        }

        return content is null ? _ => new HttpRequestMessage(method, uri) : u => new HttpRequestMessage(method, uri) { Content = content(u) };
    }

    /// <summary>Adds a GET of a path computed per request, e.g. from a data feed. A null or empty path is an error of kind <c>no path</c>.</summary>
    public Scenario Get(string name, Func<VirtualUser, string> path, params Check[] checks)
        => Send(name, path is null ? null! : u => new HttpRequestMessage(HttpMethod.Get, PathOf(name, path, u)), checks);

    /// <summary>Adds a POST with optional content computed per request.</summary>
    public Scenario Post(string name, string path, Func<VirtualUser, HttpContent?>? content = null, params Check[] checks)
        => Add(new ScenarioStep(name, FixedRequest(HttpMethod.Post, path, content), action: null, checks ?? [], path, hasFixedPath: true));

    /// <summary>Adds a POST to a path computed per request (e.g. from a data feed), with optional content.</summary>
    public Scenario Post(string name, Func<VirtualUser, string> path, Func<VirtualUser, HttpContent?>? content = null, params Check[] checks)
        => Send(name, path is null ? null! : u => new HttpRequestMessage(HttpMethod.Post, PathOf(name, path, u)) { Content = content?.Invoke(u) }, checks);

    /// <summary>Adds a step that sends the request built by <paramref name="request"/> through the user's client.</summary>
    /// <remarks>A null <paramref name="request"/> is reported when the run starts, with every other problem.</remarks>
    public Scenario Send(string name, Func<VirtualUser, HttpRequestMessage> request, params Check[] checks)
        => Add(new ScenarioStep(name, request, action: null, checks ?? []));

    /// <summary>
    /// Adds a step that runs any code, e.g. a gRPC call or a database query. It is timed like a request;
    /// an exception makes it an error of kind <c>exception &lt;type&gt;</c>.
    /// </summary>
    /// <remarks>A null <paramref name="action"/> is reported when the run starts, with every other problem.</remarks>
    public Scenario Step(string name, Func<VirtualUser, CancellationToken, Task> action)
        => Add(new ScenarioStep(name, request: null, action, []));

    private static string PathOf(string step, Func<VirtualUser, string> path, VirtualUser user)
        => path(user) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidStepException("no path", $"The path function of step '{step}' returned no path for virtual user {user.Id}; the request would go to the base address itself.");

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

        foreach (var step in Steps)
        {
            problems.AddRange(ValidateStep(step));
        }

        problems.AddRange(ThinkTime.Validate($"Scenario '{Name}'"));
        problems.AddRange(_labelProblems);
        return problems;
    }

    private IEnumerable<string> ValidateStep(ScenarioStep step)
    {
        var owner = $"Step '{step.Name}' of scenario '{Name}'";
        if (step.Problem is { } stepProblem)
        {
            yield return $"{owner} {stepProblem}";
        }

        if (step.Request is null && step.Action is null)
        {
            yield return $"{owner} has nothing to run: the function given for it is null. Pass the request builder or the code to run.";
        }

        if (step.HasFixedPath)
        {
            if (string.IsNullOrWhiteSpace(step.FixedPath))
            {
                yield return $"{owner} has {(step.FixedPath is null ? "a null" : "an empty")} path, so it would request the target's base address itself (GET /) instead of the route you meant. Give the route's path, e.g. \"/plan\".";
            }
            else if (!step.FixedPath.StartsWith('/') && Uri.TryCreate(step.FixedPath, UriKind.Absolute, out var url) && url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            {
                yield return $"{owner} has the URL '{step.FixedPath}', whose scheme '{url.Scheme}' is not http or https. Give a path relative to the target, e.g. \"/plan\".";
            }
            else if (!step.FixedPath.StartsWith('/') && !Uri.TryCreate(step.FixedPath, UriKind.RelativeOrAbsolute, out _))
            {
                yield return $"{owner} has the path '{step.FixedPath}', which is neither a path nor a valid URL. Give a path such as \"/plan\".";
            }
        }

        for (var i = 0; i < step.CheckList.Length; i++)
        {
            if (step.CheckList[i] is not { } check)
            {
                yield return $"{owner} has a null check (check {i + 1}). Remove it, or create it with Check.Status(200), Check.BodyContains(\"...\") or Check.That(\"name\", r => ...).";
            }
            else if (check.Problem is { } problem)
            {
                yield return $"{owner}: {problem}";
            }
        }
    }

    private Scenario Add(ScenarioStep step) => With(steps: [.. Steps, step]);

    /// <summary>Parses the one-line form <c>"GET /path"</c> into a single-step scenario.</summary>
    internal static Scenario FromRequestLine(string? requestLine)
    {
        if (string.IsNullOrWhiteSpace(requestLine))
        {
            throw new PerfConfigurationException($"The request is {(requestLine is null ? "null" : "empty")}. Give the method and the path, e.g. \"GET /plan?week=2026-11-23\".");
        }

        var parts = requestLine.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || (!parts[1].StartsWith('/') && !Uri.IsWellFormedUriString(parts[1], UriKind.Absolute)))
        {
            throw new PerfConfigurationException($"The request '{requestLine}' is not of the form \"METHOD /path\", e.g. \"GET /plan?week=2026-11-23\".");
        }

        if (!parts[0].All(c => char.IsAsciiLetter(c) || c == '-'))
        {
            throw new PerfConfigurationException($"The request '{requestLine}' has the method '{parts[0]}', which is not an HTTP method. Start it with GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS.");
        }

        var method = new HttpMethod(parts[0].ToUpperInvariant());
        var path = parts[1];
        var name = $"{method.Method} {path}";
        return Create(name).Add(new ScenarioStep(name, FixedRequest(method, path), action: null, [], path, hasFixedPath: true));
    }
}
