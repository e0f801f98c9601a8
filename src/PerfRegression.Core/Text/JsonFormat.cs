using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfRegression.Text;

/// <summary>
/// The one JSON format of everything PerfRegression writes (reports, baselines, results): indented,
/// camel-case, enums by name, invariant numbers (NaN allowed), nulls left out, unknown members ignored on
/// reading. Characters are written as they are (<c>&lt;=</c>, <c>'</c>, <c>+</c>), not as <c>\u</c> escapes: these
/// files are read by people and diffed in review, never embedded in HTML unescaped.
/// </summary>
internal static class JsonFormat
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
