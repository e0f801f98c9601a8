using System.Net;

namespace PerfRegression;

/// <summary>
/// A named assertion on a step's response, as k6's <c>check</c>. Each check is counted as a pass rate
/// in the report, and a failed check makes the request an error of kind <c>check '&lt;name&gt;'</c>.
/// </summary>
public sealed class Check
{
    private Check(string name, Func<StepResponse, bool> predicate)
    {
        Name = name;
        Predicate = predicate;
    }

    /// <summary>The name shown in the report, e.g. <c>status is 200</c>.</summary>
    public string Name { get; }

    internal Func<StepResponse, bool> Predicate { get; }

    /// <summary>A check with a name and a predicate over the response.</summary>
    public static Check That(string name, Func<StepResponse, bool> predicate) => new(name, predicate);

    /// <summary>The response has status <paramref name="status"/>.</summary>
    public static Check Status(int status) => new($"status is {status}", r => (int)r.StatusCode == status);

    /// <summary>The response has status <paramref name="status"/>.</summary>
    public static Check Status(HttpStatusCode status) => Status((int)status);

    /// <summary>The response body contains <paramref name="text"/> (ordinal comparison).</summary>
    public static Check BodyContains(string text) => new($"body contains '{text}'", r => r.Body.Contains(text, StringComparison.Ordinal));

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
