using Microsoft.AspNetCore.Http.HttpResults;

namespace MealPlanner.Api;

/// <summary>The app's error answers: a 400 names the offending parameter and says what a good value looks like.</summary>
internal static class ApiProblems
{
    public static ValidationProblem Invalid(string parameter, string message)
        => TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [parameter] = [message] },
            detail: message,
            title: $"The '{parameter}' parameter is not valid.");

    public static ProblemHttpResult NotFound(string title, string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult Conflict(string title, string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);
}
