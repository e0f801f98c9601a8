using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace PerfRegression.BenchmarkDotNet;

/// <summary>
/// Brings the benchmarked code to its final, optimised tier before BenchmarkDotNet measures it. In the test's process
/// tiered compilation is on, and a short job's warm-up ends before the runtime has recompiled hot methods (it waits for
/// a quiet moment after 30 calls): measured, the first iterations run unoptimised code two to four times slower. So the
/// benchmarks are called here, on an instance of their own, for a bounded time, then the background compiler is given a
/// moment to finish.
/// </summary>
internal static class JitWarmup
{
    /// <summary>How long the tiering compiler is given after the calls to install its code.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    /// <summary>Calls the benchmarks of <paramref name="type"/> (all, or <paramref name="methods"/>) for <paramref name="duration"/> (and at least 100 times each); false when it cannot (parameterised benchmarks are left to BenchmarkDotNet's warm-up).</summary>
    public static bool Run(Type type, IReadOnlyList<string> methods, TimeSpan duration)
    {
        var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
        var benchmarks = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null && (methods.Count == 0 || methods.Contains(m.Name, StringComparer.Ordinal)))
            .ToArray();
        var parameterised = members.Any(m => m.GetCustomAttribute<ParamsAttribute>() is not null || m.GetCustomAttribute<ParamsSourceAttribute>() is not null || m.GetCustomAttribute<ParamsAllValuesAttribute>() is not null)
            || benchmarks.Any(b => b.GetParameters().Length > 0);
        if (duration <= TimeSpan.Zero || benchmarks.Length == 0 || parameterised)
        {
            return false;
        }

        var instance = Activator.CreateInstance(type)!;
        Invoke<GlobalSetupAttribute>(type, instance);
        try
        {
            var time = TimeProvider.System;
            var started = time.GetTimestamp();
            for (var calls = 0; calls < 100 || time.GetElapsedTime(started) < duration; calls++)
            {
                foreach (var benchmark in benchmarks)
                {
                    Call(benchmark, instance);
                }
            }
        }
        finally
        {
            Invoke<GlobalCleanupAttribute>(type, instance);
        }

        using var settle = new ManualResetEventSlim();
        settle.Wait(Settle);
        return true;
    }

    private static void Invoke<TAttribute>(Type type, object instance)
        where TAttribute : Attribute
    {
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttribute<TAttribute>() is not null && m.GetParameters().Length == 0))
        {
            Call(method, instance);
        }
    }

    private static void Call(MethodInfo method, object instance)
    {
        try
        {
            switch (method.Invoke(instance, null))
            {
                case Task task:
                    task.GetAwaiter().GetResult();
                    break;
                case ValueTask valueTask:
                    valueTask.AsTask().GetAwaiter().GetResult();
                    break;
            }
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            // BenchmarkDotNet reports what the benchmark throws, with its own context; warming up is not the place.
            Debug.WriteLine(ex.InnerException);
            throw new PerfCheckException($"{method.DeclaringType?.Name}.{method.Name} threw while it was warmed up: {ex.InnerException.GetType().Name}: {ex.InnerException.Message}", ex.InnerException);
        }
    }
}
