using System.Net;

namespace PerfRegression;

/// <summary>
/// A named assertion on a step's response, as k6's <c>check</c>. Each check is counted as a pass rate
/// in the report, and a failed check makes the request an error of kind <c>check '&lt;name&gt;'</c>. A status of
/// 400 or more is an error of its own (<c>HTTP 409</c>) unless a <see cref="Status(int, int[])"/> check of the step
/// names it: then it is an answer the test expects, as k6's <c>http.expectedStatuses</c>.
/// </summary>
public sealed class Check
{
    private Check(string name, Func<StepResponse, bool> predicate, string? problem = null, int[]? statuses = null)
    {
        Name = name;
        Predicate = predicate;
        ExpectedStatuses = statuses ?? [];
        Problem = problem ?? (string.IsNullOrWhiteSpace(name)
            ? "a check has no name. Name it after what it asserts; the name is its pass rate's label in the report."
            : predicate is null ? $"check '{name}' has a null predicate. Give the condition, e.g. Check.That(\"{name}\", r => r.Body.Length > 0)." : null);
    }

    /// <summary>The name shown in the report, e.g. <c>status is 200</c>.</summary>
    public string Name { get; }

    internal Func<StepResponse, bool> Predicate { get; }

    /// <summary>The statuses a <see cref="Status(int, int[])"/> check names: expected answers, not errors by themselves.</summary>
    internal IReadOnlyList<int> ExpectedStatuses { get; }

    /// <summary>Why this check cannot be applied, reported when the run starts; <see langword="null"/> when it is valid.</summary>
    internal string? Problem { get; }

    /// <summary>Whether <paramref name="response"/> passes; a predicate that throws fails the check, it never stops the user.</summary>
    internal bool Passes(StepResponse response)
    {
        try
        {
            return Predicate(response);
        }
#pragma warning disable CA1031 // A throwing check is a failed check, reported as such.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>The error kind a response's <paramref name="status"/> is by itself (<c>HTTP 503</c>), or <see langword="null"/> when it is below 400 or one of <paramref name="checks"/> expects it.</summary>
    internal static string? StatusError(int status, Check[] checks)
        => status >= 400 && !checks.Any(c => c.ExpectedStatuses.Contains(status)) ? StatusKinds.Of(status) : null;

    /// <summary>A check with a name and a predicate over the response.</summary>
    public static Check That(string name, Func<StepResponse, bool> predicate) => new(name, predicate);

    /// <summary>The response has status <paramref name="status"/>; a status of 400 or more named here is expected, not an error by itself.</summary>
    public static Check Status(int status) => Status(status, []);

    /// <summary>
    /// The response has one of the statuses given, e.g. <c>Check.Status(201, 409)</c> for an RSVP that may find the event
    /// full. A status of 400 or more named here is an answer the test expects (k6's <c>http.expectedStatuses</c>): it
    /// counts in the route's latency and is not an error; any status not named fails the check.
    /// </summary>
    /// <param name="status">A status the response may have.</param>
    /// <param name="others">More statuses it may have.</param>
    public static Check Status(int status, params int[] others)
    {
        int[] statuses = [status, .. others ?? []];
        var invalid = statuses.Where(s => s is < 100 or > 599).ToArray();
        return new(
            $"status is {string.Join(" or ", statuses)}",
            r => statuses.Contains((int)r.StatusCode),
            invalid.Length == 0 ? null : $"Check.Status was given {string.Join(", ", invalid)}, not an HTTP status; give statuses from 100 to 599, e.g. Check.Status(201, 409).",
            statuses);
    }

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
