using System.Diagnostics;

namespace PerfRegression.Engine;

/// <summary>
/// Follows each request of a load run on the server side (for example the SQL it caused), correlated by W3C
/// trace context: while an observer is registered, the runner sends a <c>traceparent</c> header with every
/// request and reports its trace id when the response is complete. Register one with
/// <see cref="RequestObservers.Register"/>. Called from every virtual user at once: implementations are thread-safe.
/// </summary>
public interface IRequestObserver
{
    /// <summary>A request with trace <paramref name="traceId"/> is about to be sent.</summary>
    /// <param name="traceId">The trace the request carries in its <c>traceparent</c> header.</param>
    void RequestStarting(ActivityTraceId traceId);

    /// <summary>A request of step <paramref name="route"/> completed.</summary>
    /// <param name="route">The step's name.</param>
    /// <param name="traceId">The trace the request carried.</param>
    /// <param name="measured"><see langword="false"/> during warm-up, whose requests are in no figure.</param>
    void RequestCompleted(string route, ActivityTraceId traceId, bool measured);
}

/// <summary>The request observers of the current async flow (a test, or a code block): every load run started in it reports to them.</summary>
public static class RequestObservers
{
    private static readonly AsyncLocal<IRequestObserver[]?> Ambient = new();

    /// <summary>Registers <paramref name="observer"/> for the load runs that follow in this async flow, until the returned scope is disposed.</summary>
    public static IDisposable Register(IRequestObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var previous = Ambient.Value;
        Ambient.Value = [.. previous ?? [], observer];
        return new Registration(previous);
    }

    internal static IRequestObserver[] Current => Ambient.Value ?? [];

    /// <summary>The <c>traceparent</c> value for a new request: a fresh trace, sampled.</summary>
    internal static (ActivityTraceId TraceId, string Header) NewTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        return (traceId, $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
    }

    private sealed class Registration(IRequestObserver[]? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
