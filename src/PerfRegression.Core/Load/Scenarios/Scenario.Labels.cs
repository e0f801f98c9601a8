namespace PerfRegression;

/// <summary>Tags and groups: labels on routes that budgets can be scoped to (k6's tags and groups).</summary>
public sealed partial class Scenario
{
    /// <summary>The tag every route carries implicitly, naming its scenario: a budget scoped to <c>scenario:payment</c> covers scenario 'payment'.</summary>
    public const string ScenarioTag = "scenario";

    /// <summary>
    /// Tags the step added last with <paramref name="key"/> = <paramref name="value"/>, e.g.
    /// <c>.Post("pay", "/payments").Tagged("kind", "payment")</c>. A budget scoped to the tag
    /// (<c>[LatencyBudget(p95: 3000, Tag = "kind:payment")]</c>) judges every route that carries it, together.
    /// </summary>
    /// <remarks>An empty key or value, the reserved key <see cref="ScenarioTag"/>, or a scenario without steps is reported when the run starts, with every other problem.</remarks>
    public Scenario Tagged(string key, string value)
    {
        if (TagProblem(key, value) is { } problem)
        {
            return With(problem: problem);
        }

        if (Steps.Count == 0)
        {
            return With(problem: $"Scenario '{Name}' tags a step with {key}:{value} before it has any: Tagged labels the step added just before it. Add the step first, or label every step with WithTag(\"{key}\", \"{value}\").");
        }

        var last = Steps[^1];
        var tags = new SortedDictionary<string, string>(last.Tags.ToDictionary(), StringComparer.Ordinal) { [key] = value };
        return With(steps: [.. Steps.Take(Steps.Count - 1), last.WithLabels(last.Group, tags)]);
    }

    /// <summary>Tags every step of the scenario, those added before and after, with <paramref name="key"/> = <paramref name="value"/>; a step's own tag of the same key wins.</summary>
    public Scenario WithTag(string key, string value)
        => TagProblem(key, value) is { } problem
            ? With(problem: problem)
            : With(tags: new SortedDictionary<string, string>(Tags.ToDictionary(), StringComparer.Ordinal) { [key] = value });

    /// <summary>
    /// Adds the steps <paramref name="steps"/> builds as group <paramref name="name"/>, e.g.
    /// <c>.Group("checkout", g =&gt; g.Get("cart", "/cart").Post("pay", "/payments"))</c>. Each step stays a route of its
    /// own; a budget scoped to the group (<c>Group = "checkout"</c>) judges the group's routes together. Groups nest:
    /// a group inside <c>checkout</c> is <c>checkout::name</c>, and a budget on <c>checkout</c> covers it too.
    /// </summary>
    /// <remarks>The builder starts from an empty scenario; its setup and think time are not used (the scenario's apply).</remarks>
    public Scenario Group(string name, Func<Scenario, Scenario> steps)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains("::", StringComparison.Ordinal))
        {
            return With(problem: $"Scenario '{Name}' has a group named '{name}'; a group needs a name without '::' (that joins nested groups), e.g. Group(\"checkout\", g => ...).");
        }

        if (steps is null)
        {
            return With(problem: $"Group '{name}' of scenario '{Name}' has no builder (null). Pass one that adds the group's steps, e.g. g => g.Get(\"cart\", \"/cart\").");
        }

        var built = steps(Create(Name));
        if (built is null)
        {
            return With(problem: $"The builder of group '{name}' in scenario '{Name}' returned null. Return the scenario it was given with the group's steps added.");
        }

        var grouped = built.Steps.Select(s => s.WithLabels(s.Group is null ? name : $"{name}::{s.Group}", s.Tags)).ToArray();
        var result = With(steps: [.. Steps, .. grouped]);
        foreach (var problem in built._labelProblems)
        {
            result = result.With(problem: problem);
        }

        if (grouped.Length == 0)
        {
            result = result.With(problem: $"Group '{name}' of scenario '{Name}' has no steps. Add them in its builder, e.g. g => g.Get(\"cart\", \"/cart\").");
        }

        if (built.SetupAction is not null || !built.ThinkTime.IsNone || built.Tags.Count > 0)
        {
            result = result.With(problem: $"The builder of group '{name}' in scenario '{Name}' sets a setup, think time or scenario-wide tags, which belong to the scenario, not a group, and would be ignored. Set them on the scenario; tag the group's steps with Tagged.");
        }

        return result;
    }

    private string? TagProblem(string key, string value)
    {
        if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(value) || key.Contains(':', StringComparison.Ordinal))
        {
            return $"Scenario '{Name}' has the tag '{key}:{value}'; a tag needs a key without ':' and a value, both non-empty, e.g. Tagged(\"kind\", \"payment\").";
        }

        return string.Equals(key, ScenarioTag, StringComparison.Ordinal)
            ? $"Scenario '{Name}' sets the tag '{ScenarioTag}', which every route carries already with its scenario's name. Choose another key, e.g. \"kind\"."
            : null;
    }
}
