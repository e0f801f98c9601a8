using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfRegression.Text;

/// <summary>
/// The one JSON format of everything PerfRegression writes (reports, baselines, results): indented,
/// camel-case, invariant numbers (NaN allowed), nulls left out, unknown members ignored on reading.
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
    };
}
