using System.Diagnostics;
using System.Reflection;

namespace PerfRegression.Measurement;

/// <summary>
/// Whether the code a performance test measures was built with optimisation. A Debug build (the default of
/// <c>dotnet test</c>) runs the JIT without optimisation: the same code is several times slower, and allocates more (the
/// compiler makes async state machines classes), so its figures describe the build, not the code.
/// </summary>
internal static class Builds
{
    /// <summary>What <see cref="EnvironmentFingerprint.Build"/> says of a build whose checked assemblies are all optimised.</summary>
    public const string Optimized = "optimized";

    /// <summary>
    /// The assemblies among the code under measurement that were built without optimisation: this library (its load
    /// generator shares the process), each app a target served (the <c>WebApplicationFactory</c>'s entry point), and
    /// the app's own references loaded in the process (its class libraries; packages and the framework are optimised).
    /// The test assembly is not among them: <c>dotnet test</c> builds it in Debug by default, and its code (steps that
    /// send requests) is not what the test measures.
    /// </summary>
    public static IReadOnlyList<string> Unoptimized(IEnumerable<Assembly> apps)
    {
        ArgumentNullException.ThrowIfNull(apps);
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic).GroupBy(a => a.GetName().Name, StringComparer.Ordinal).ToDictionary(g => g.Key ?? string.Empty, g => g.First(), StringComparer.Ordinal);
        var checkedAssemblies = new List<Assembly> { typeof(Builds).Assembly };
        foreach (var app in apps)
        {
            checkedAssemblies.Add(app);
            checkedAssemblies.AddRange(app.GetReferencedAssemblies().Select(r => loaded.GetValueOrDefault(r.Name ?? string.Empty)).OfType<Assembly>());
        }

        return checkedAssemblies.Distinct().Where(a => !IsOptimized(a)).Select(a => a.GetName().Name ?? a.FullName ?? "?").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>How a baseline records the build: <c>optimized</c>, or <c>not optimized: A, B</c>.</summary>
    public static string Describe(IReadOnlyList<string> unoptimized)
    {
        ArgumentNullException.ThrowIfNull(unoptimized);
        return unoptimized.Count == 0 ? Optimized : "not optimized: " + string.Join(", ", unoptimized);
    }

    /// <summary>Whether <paramref name="assembly"/> was compiled for the JIT to optimise (no <c>DebuggableAttribute</c> that disables it).</summary>
    public static bool IsOptimized(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;
    }

    /// <summary>The verdict's warning about <paramref name="unoptimized"/>: what, why it matters, how to fix it.</summary>
    public static string Warning(IReadOnlyList<string> unoptimized)
    {
        ArgumentNullException.ThrowIfNull(unoptimized);
        var names = string.Join(", ", unoptimized);
        return $"Built without optimisation (Debug): {names}. The JIT does not optimise such code, so it runs several times slower and allocates more than what ships: these latencies and costs describe the build, not the code, and a baseline recorded from them means little. "
            + $"Run dotnet test -c Release, or set <Optimize>true</Optimize> in the project of {names} (its Debug build then runs as Release does).";
    }
}
