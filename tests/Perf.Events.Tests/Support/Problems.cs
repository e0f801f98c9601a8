using System.Net;
using System.Text.Json;

namespace Perf.Events.Tests.Support;

/// <summary>Asserts that an answer is problem details with the expected status, and returns its body.</summary>
internal static class Problems
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", body);
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        return problem;
    }

    /// <summary>The message of a 400 for <paramref name="field"/>.</summary>
    public static async Task<string> InvalidAsync(HttpResponseMessage response, string field)
    {
        var problem = await ReadAsync(response, HttpStatusCode.BadRequest);
        problem.TryGetProperty("errors", out var errors).Should().BeTrue($"a 400 names the bad field: {problem}");
        errors.TryGetProperty(field, out var messages).Should().BeTrue($"the 400 should name '{field}': {problem}");
        return messages[0].GetString()!;
    }

    /// <summary>The body of a 409 of <paramref name="type"/> (ending, e.g. <c>/event-full</c>).</summary>
    public static async Task<JsonElement> ConflictAsync(HttpResponseMessage response, string type)
    {
        var problem = await ReadAsync(response, HttpStatusCode.Conflict);
        problem.GetProperty("type").GetString().Should().EndWith(type);
        return problem;
    }
}
