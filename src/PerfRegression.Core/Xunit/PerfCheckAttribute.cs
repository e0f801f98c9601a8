using System.Reflection;
using System.Runtime.CompilerServices;
using PerfRegression.Checks;
using PerfRegression.Session;
using Xunit.v3;

namespace PerfRegression;

/// <summary>
/// The base of every attribute that makes an xUnit test a performance test (<c>[LatencyBudget]</c>,
/// <c>[RegressionGate]</c>, <c>[PerfTest]</c>, <c>[QueryBudget]</c>, an add-on's own): it adds the trait
/// <c>Category=Performance</c>, validates the attribute before the test runs, opens the test's
/// <see cref="PerfSession"/> (or joins the one another attribute opened) and lets the attribute configure it. After
/// the body, the last of the test's performance attributes finishes the session, and the test fails once, with the
/// whole verdict, when any check failed.
/// </summary>
/// <example>
/// An add-on's attribute adds its check:
/// <code>
/// public sealed class CacheBudgetAttribute : PerfCheckAttribute
/// {
///     protected override void Configure(PerfSession session) => session.AddCheck(new CacheHitRateCheck(0.9));
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public abstract class PerfCheckAttribute : BeforeAfterTestAttribute, ITraitAttribute
{
    /// <summary>The trait name performance attributes add.</summary>
    public const string TraitName = "Category";

    /// <summary>The trait value performance attributes add: <c>dotnet test --filter Category=Performance</c> selects the tests.</summary>
    public const string TraitValue = "Performance";

    private static readonly ConditionalWeakTable<PerfSession, StrongBox<int>> Openers = [];

    /// <inheritdoc />
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new(TraitName, TraitValue)];

    /// <summary>Validates the attribute, then opens (or joins) the test's session and configures it.</summary>
    /// <exception cref="PerfConfigurationException">The attribute is invalid; the message lists every problem, and the test does not run.</exception>
    public sealed override void Before(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(methodUnderTest);
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new PerfConfigurationException($"[{Name}] on {methodUnderTest.ReflectedType?.Name ?? methodUnderTest.DeclaringType?.Name}.{methodUnderTest.Name}", problems);
        }

        var session = PerfSession.Current;
        if (session is null)
        {
            session = PerfSession.Start(TestIdentity.From(methodUnderTest, test?.TestMethodArguments), host: XunitTestHost.Instance);
            Openers.Add(session, new StrongBox<int>(0));
        }

        Openers.GetOrCreateValue(session).Value++;
        Configure(session);
    }

    /// <summary>After the body: the last performance attribute of the test finishes its session and fails the test if a check failed.</summary>
    /// <exception cref="PerfCheckException">A check failed or could not be made; the message is the whole verdict.</exception>
    public sealed override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        if (PerfSession.Current is not { } session || !Openers.TryGetValue(session, out var openers) || --openers.Value > 0)
        {
            return;
        }

        // xUnit's After is synchronous; the checks (e.g. the database plans) are decided before the test ends.
        // The session printed the verdict's commands beside the result once; the message points there (dotnet test prints
        // a failure message twice at detailed verbosity).
        session.FinishAsync(session.Host.CancellationToken).GetAwaiter().GetResult().EnsurePassedInConsole();
    }

    /// <summary>Every problem with this attribute's settings, one sentence each with the fix; checked before the test runs.</summary>
    protected virtual IReadOnlyList<string> Validate() => [];

    /// <summary>Adds this attribute's budgets or checks to the test's session.</summary>
    protected abstract void Configure(PerfSession session);

    private string Name => GetType().Name.EndsWith("Attribute", StringComparison.Ordinal) ? GetType().Name[..^"Attribute".Length] : GetType().Name;
}
