using Microsoft.AspNetCore.Http.HttpResults;

namespace EventPlatform.Api;

/// <summary>
/// The app's error answers, all problem details. A 409 carries a <c>type</c> a client can branch on
/// (<see cref="EventFull"/>, <see cref="AlreadyRegistered"/>, <see cref="WebhookReplay"/>); a 400 names the
/// offending field and says what a good value looks like.
/// </summary>
internal static class ApiProblems
{
    /// <summary>The problem type of an RSVP to an event with no seat left.</summary>
    public const string EventFull = "https://eventplatform.example/problems/event-full";

    /// <summary>The problem type of a second RSVP by the same member to the same event.</summary>
    public const string AlreadyRegistered = "https://eventplatform.example/problems/already-registered";

    /// <summary>The problem type of a webhook whose event id was already processed.</summary>
    public const string WebhookReplay = "https://eventplatform.example/problems/webhook-replay";

    public static ValidationProblem Invalid(string field, string message)
        => TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message,
            title: $"The '{field}' field is not valid.");

    public static ProblemHttpResult NotFound(string title, string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult Unauthorized(string title, string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: title);

    public static ProblemHttpResult Conflict(string type, string title, string detail, IDictionary<string, object?>? extensions = null)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title, type: type, extensions: extensions);
}
