using System.Net.Sockets;
using Npgsql;
using PerfRegression.Engine;

namespace PerfRegression.PostgreSql;

/// <summary>
/// Names what a step's Npgsql exception means for the run, so a database stopped mid-run reads as such in the
/// errors by kind instead of <c>exception NpgsqlException</c>. Registered once, when this package is first used.
/// </summary>
internal static class ConnectionLoss
{
    /// <summary>An open connection was closed under the request: the server stopped, crashed or terminated it.</summary>
    public const string Lost = "database connection lost";

    /// <summary>No connection could be opened: nothing listens on the server's port, or it is starting or shutting down.</summary>
    public const string Unreachable = "database unreachable";

    private static int _registered;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
#pragma warning disable CA2000 // Registered for the life of the process: nothing ever unregisters it.
            ErrorClassifiers.Register(Kind);
#pragma warning restore CA2000
        }
    }

    internal static string? Kind(Exception exception) => exception switch
    {
        // 57P03: the server is starting up or shutting down; 57P01/57P02: it ended the session (shutdown, crash);
        // class 08: connection exceptions.
        PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow } => Unreachable,
        PostgresException { SqlState: var state } when state.StartsWith("57P", StringComparison.Ordinal) || state.StartsWith("08", StringComparison.Ordinal) => Lost,
        PostgresException => null,
        NpgsqlException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound } } => Unreachable,
        NpgsqlException { InnerException: IOException or EndOfStreamException or SocketException } => Lost,
        _ => null,
    };
}
