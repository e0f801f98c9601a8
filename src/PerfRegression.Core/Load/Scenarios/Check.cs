using System.Net;

namespace PerfRegression;

/// <summary>
/// A named assertion on a step's response, as k6's <c>check</c>. Each check is counted as a pass rate
/// in the report, and a failed check makes the request an error of kind <c>check '&lt;name&gt;'</c>.
/// </summary>
public sealed class Check
{
    private Check(string name, Func<StepResponse, bool> predicate, string? problem = null)
    {
        Name = name;
        Predicate = predicate;
        Problem = problem ?? (string.IsNullOrWhiteSpace(name)
            ? "a check has no name. Name it after what it asserts; the name is its pass rate's label in the report."
            : predicate is null ? $"check '{name}' has a null predicate. Give the condition, e.g. Check.That(\"{name}\", r => r.Body.Length > 0)." : null);
    }

    /// <summary>The name shown in the report, e.g. <c>status is 200</c>.</summary>
    public string Name { get; }

    internal Func<StepResponse, bool> Predicate { get; }

    /// <summary>Why this check cannot be applied, reported when the run starts; <see langword="null"/> when it is valid.</summary>
    internal string? Problem { get; }

    /// <summary>A check with a name and a predicate over the response.</summary>
    public static Check That(string name, Func<StepResponse, bool> predicate) => new(name, predicate);

    /// <summary>The response has status <paramref name="status"/>.</summary>
    public static Check Status(int status) => new($"status is {status}", r => (int)r.StatusCode == status);

    /// <summary>The response has status <paramref name="status"/>.</summary>
    public static Check Status(HttpStatusCode status) => Status((int)status);

    /// <summary>The response body contains <paramref name="text"/> (ordinal comparison).</summary>
    public static Check BodyContains(string text) => string.IsNullOrEmpty(text)
        ? new("body contains ''", _ => false, $"Check.BodyContains was given {(text is null ? "null" : "an empty text")}, which every body contains, so the check could never fail. Give the text the response must contain.")
        : new($"body contains '{text}'", r => r.Body.Contains(text, StringComparison.Ordinal));

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>What a check sees of a response: status, headers and the body read as text.</summary>
public sealed class StepResponse
{
    internal StepResponse(HttpStatusCode statusCode, HttpResponseMessage? message, string body)
    {
        StatusCode = statusCode;
        Message = message;
        Body = body;
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The response message, for headers; its content has already been read into <see cref="Body"/>.</summary>
    public HttpResponseMessage? Message { get; }

    /// <summary>The response body as text; empty when the step had no body or read none.</summary>
    public string Body { get; }
}
