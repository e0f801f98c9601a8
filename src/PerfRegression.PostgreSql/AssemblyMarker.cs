namespace PerfRegression.PostgreSql;

/// <summary>Placeholder removed when the first feature type lands.</summary>
internal static class AssemblyMarker
{
}
