using System.Diagnostics;

namespace PerfRegression;

/// <summary>
/// Something that follows each request of a load run on the server side (for example the SQL it caused),
/// correlated by W3C trace context: while an observer is registered, the runner sends a
/// <c>traceparent</c> header with every request and reports its trace id when the response is complete.
/// </summary>
internal interface IRequestObserver
{
    /// <summary>A request with trace <paramref name="traceId"/> is about to be sent.</summary>
    void RequestStarting(ActivityTraceId traceId);

    /// <summary>A request of step <paramref name="route"/> completed; <paramref name="measured"/> is false during warm-up.</summary>
    void RequestCompleted(string route, ActivityTraceId traceId, bool measured);
}

/// <summary>The observers registered for the current async flow (a test, or a code block).</summary>
internal static class RequestObservation
{
    private static readonly AsyncLocal<IRequestObserver[]?> Ambient = new();

    public static IRequestObserver[] Current => Ambient.Value ?? [];

    /// <summary>Registers <paramref name="observer"/> until the returned scope is disposed.</summary>
    public static IDisposable Register(IRequestObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var previous = Ambient.Value;
        Ambient.Value = [.. previous ?? [], observer];
        return new Registration(previous);
    }

    /// <summary>The <c>traceparent</c> value for a new request: a fresh trace, sampled.</summary>
    public static (ActivityTraceId TraceId, string Header) NewTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        return (traceId, $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
    }

    private sealed class Registration(IRequestObserver[]? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
