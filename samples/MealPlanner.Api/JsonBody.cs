using System.Text.Json;

namespace MealPlanner.Api;

/// <summary>
/// Reads a small JSON object body by hand, so that every malformed body gets a 400 that says what is wrong
/// (framework binding answers some of them with a bare 400 or lets a wrong type through as a default).
/// </summary>
internal static class JsonBody
{
    /// <summary>The largest body accepted; the API's bodies are a few fields.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>The parsed object, <see langword="null"/> for an empty body or <c>null</c>, or a problem (the parameter is <c>body</c>).</summary>
    public static async Task<(JsonDocument? Document, string? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, $"The body is {request.ContentLength} bytes; at most {MaxBytes} are accepted.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, $"The body is longer than {MaxBytes} bytes, the most accepted.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return (null, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException ex)
        {
            return (null, $"The body is not valid JSON: {ex.Message}");
        }

        if (document.RootElement.ValueKind == JsonValueKind.Null)
        {
            document.Dispose();
            return (null, null);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            return (null, $"The body must be a JSON object; got {Describe(kind)}.");
        }

        return (document, null);
    }

    /// <summary>The names in <paramref name="body"/> that are not <paramref name="known"/> (compared ignoring case, as the web defaults do).</summary>
    public static string? UnknownProperties(JsonElement body, params string[] known)
    {
        var unknown = body.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n, StringComparer.OrdinalIgnoreCase)).ToArray();
        return unknown.Length == 0
            ? null
            : $"The body has unknown {(unknown.Length == 1 ? "property" : "properties")} {string.Join(", ", unknown.Select(n => $"'{n}'"))}; expected {string.Join(", ", known)}.";
    }

    /// <summary>The property named <paramref name="name"/> (ignoring case), or <see langword="null"/> when absent or JSON <c>null</c>.</summary>
    public static JsonElement? Property(JsonElement body, string name)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// The text of a JSON string, refusing what PostgreSQL cannot store or .NET cannot decode (NUL characters,
    /// lone surrogate escapes), so that such input is a 400 instead of a database error.
    /// </summary>
    public static bool TryGetText(JsonElement element, out string text)
    {
        text = "";
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            text = element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return IsStorable(text);
    }

    /// <summary>Whether <paramref name="text"/> can be stored and compared in PostgreSQL text: no NUL characters.</summary>
    public static bool IsStorable(string text) => !text.Contains('\0', StringComparison.Ordinal);

    /// <summary>A JSON value kind in words, for messages.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
