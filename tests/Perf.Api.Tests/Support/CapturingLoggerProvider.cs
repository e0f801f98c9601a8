using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Perf.Api.Tests.Support;

/// <summary>
/// Keeps every log entry the app writes, as text: the formatted message, every structured value, the
/// exception with its inner exceptions, and the scopes around the entry, so that a test can assert that
/// something (a token, a password) appears nowhere in the logs.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>Everything logged so far, one string per entry.</summary>
    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder()
                .Append(logLevel).Append(' ').Append(category).Append('[').Append(eventId.Id).Append("]: ")
                .Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(" | ").Append(key).Append('=').Append(value);
                }
            }

            provider._scopes.ForEachScope((scope, builder) => builder.Append(" | scope: ").Append(scope), text);
            if (exception is not null)
            {
                text.Append(" | exception: ").Append(exception);
            }

            provider._entries.Enqueue(text.ToString());
        }
    }
}
