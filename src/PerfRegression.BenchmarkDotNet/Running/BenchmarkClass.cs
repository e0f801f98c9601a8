using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace PerfRegression.BenchmarkDotNet;

/// <summary>What a class needs to be benchmarked, checked before BenchmarkDotNet runs so each problem comes with its fix.</summary>
internal static class BenchmarkClass
{
    public static IReadOnlyList<string> Problems(Type type, IReadOnlyList<string> methods)
    {
        var problems = new List<string>();
        if (!type.IsVisible || type.IsAbstract || type.IsGenericTypeDefinition || type.GetConstructor(Type.EmptyTypes) is null)
        {
            problems.Add($"{type.FullName} cannot be benchmarked: BenchmarkDotNet needs a public, non-abstract, non-generic class with a public parameterless constructor. Make it 'public class {type.Name}' (nested types must be public too).");
        }

        var all = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static);
        var hidden = all.Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null && (!m.IsPublic || m.IsStatic)).Select(m => m.Name).ToArray();
        if (hidden.Length > 0)
        {
            problems.Add($"{string.Join(", ", hidden)} of {type.Name} {(hidden.Length == 1 ? "is" : "are")} marked [Benchmark] but {(hidden.Length == 1 ? "is" : "are")} not a public instance method, which BenchmarkDotNet ignores. Make {(hidden.Length == 1 ? "it" : "them")} public and non-static.");
        }

        var benchmarks = all.Where(m => m.IsPublic && !m.IsStatic && m.GetCustomAttribute<BenchmarkAttribute>() is not null).Select(m => m.Name).ToArray();
        if (benchmarks.Length == 0 && hidden.Length == 0)
        {
            problems.Add($"{type.Name} has no benchmark: mark the public methods to measure with [Benchmark] (BenchmarkDotNet.Attributes).");
        }

        var unknown = methods.Where(m => !benchmarks.Contains(m, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0 && benchmarks.Length > 0)
        {
            problems.Add($"{string.Join(", ", unknown.Select(u => $"'{u}'"))} {(unknown.Length == 1 ? "is" : "are")} not a benchmark of {type.Name}; its benchmarks are {string.Join(", ", benchmarks)}.");
        }

        var unoptimized = new[] { type.Assembly }.Concat(type.Assembly.GetReferencedAssemblies().Select(Load).OfType<Assembly>()).Where(a => !IsOptimized(a)).Select(a => a.GetName().Name).Distinct(StringComparer.Ordinal).ToArray();
        if (unoptimized.Length > 0)
        {
            problems.Add($"{string.Join(", ", unoptimized)} {(unoptimized.Length == 1 ? "was" : "were")} built without optimizations (a Debug build), so the benchmarks of {type.Name} would time code that never ships, and BenchmarkDotNet refuses it. "
                + $"Run the tests with 'dotnet test -c Release', or set <Optimize>true</Optimize> in the project of {type.Assembly.GetName().Name} and the projects it references; keep benchmark classes in a project that references only the code they measure.");
        }

        return problems;
    }

    /// <summary>
    /// Whether this process runs with dynamic PGO: on by default since .NET 8, off with <c>&lt;TieredPGO&gt;false&lt;/TieredPGO&gt;</c>
    /// in the project (runtimeconfig.json), <c>DOTNET_TieredPGO=0</c>, or tiered compilation turned off.
    /// </summary>
    public static bool DynamicPgo()
    {
        static bool Off(string knob, string variable)
            => AppContext.GetData(knob) is { } value && string.Equals(value.ToString(), "false", StringComparison.OrdinalIgnoreCase)
                || Environment.GetEnvironmentVariable("DOTNET_" + variable) == "0"
                || Environment.GetEnvironmentVariable("COMPlus_" + variable) == "0";
        return !Off("System.Runtime.TieredPGO", "TieredPGO") && !Off("System.Runtime.TieredCompilation", "TieredCompilation");
    }

    /// <summary>
    /// Whether this process runs the framework's precompiled (ReadyToRun) code: on unless <c>DOTNET_ReadyToRun=0</c> is in
    /// its environment (the runtime reads this setting from the environment only, not from runtimeconfig.json).
    /// </summary>
    public static bool ReadyToRun()
        => Environment.GetEnvironmentVariable("DOTNET_ReadyToRun") != "0" && Environment.GetEnvironmentVariable("COMPlus_ReadyToRun") != "0";

    /// <summary>Whether the JIT optimises <paramref name="assembly"/> (a Release build), as its DebuggableAttribute says.</summary>
    public static bool IsOptimized(Assembly assembly)
        => assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    private static Assembly? Load(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
