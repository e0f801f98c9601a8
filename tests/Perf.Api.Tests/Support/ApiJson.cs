using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Perf.Api.Tests.Support;

/// <summary>Reads and sends the API's JSON: web defaults (camelCase) and enums as camelCase strings, as the app writes them.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task<T> GetAsync<T>(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        return await ReadAsync<T>(response, $"GET {path}");
    }

    /// <summary>POSTs <paramref name="body"/> (none when <see langword="null"/>) and reads a successful answer.</summary>
    public static async Task<T> PostAsync<T>(HttpClient client, string path, object? body = null)
    {
        using var response = await SendAsync(client, HttpMethod.Post, path, body);
        return await ReadAsync<T>(response, $"POST {path}");
    }

    /// <summary>Sends <paramref name="body"/> as JSON (none when <see langword="null"/>, raw when a string).</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                string raw => new StringContent(raw, System.Text.Encoding.UTF8, "application/json"),
                _ => JsonContent.Create(body, options: Options),
            },
        };
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.Should().BeTrue($"{what} should succeed, but it answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Options) ?? throw new InvalidOperationException($"{what} returned null.");
    }
}
