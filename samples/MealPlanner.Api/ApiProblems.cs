using Microsoft.AspNetCore.Http.HttpResults;

namespace MealPlanner.Api;

/// <summary>The app's error answers, all problem details: a 400 names the offending parameter and says what a good value looks like.</summary>
internal static class ApiProblems
{
    public static ValidationProblem Invalid(string parameter, string message)
        => TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [parameter] = [message] },
            detail: message,
            title: $"The '{parameter}' parameter is not valid.");

    public static ProblemHttpResult BadRequest(string title, string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    public static ProblemHttpResult NotFound(string title, string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult Unauthorized(string title, string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: title);

    public static ProblemHttpResult Unprocessable(string title, string detail, IDictionary<string, object?>? extensions = null)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: title, extensions: extensions);
}
