using System.Net;
using System.Text.Json;

namespace Perf.Api.Tests.Support;

/// <summary>Asserts that an answer is problem details with the expected status, and returns its body.</summary>
internal static class Problems
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", body);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        return problem;
    }

    /// <summary>The message of a 400 for <paramref name="parameter"/>.</summary>
    public static async Task<string> InvalidAsync(HttpResponseMessage response, string parameter)
    {
        var problem = await ReadAsync(response, HttpStatusCode.BadRequest);
        problem.TryGetProperty("errors", out var errors).Should().BeTrue($"a 400 names the bad parameter: {problem}");
        errors.TryGetProperty(parameter, out var messages).Should().BeTrue($"the 400 should name '{parameter}': {problem}");
        return messages[0].GetString()!;
    }
}
