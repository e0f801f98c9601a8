using System.Net.Sockets;
using Npgsql;
using PerfRegression.Engine;
using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Database;

/// <summary>Which Npgsql failures read as a lost or unreachable database, and how the engine's classifier seam asks.</summary>
public sealed class ConnectionLossTests
{
    [Theory]
    [InlineData("57P01", "database connection lost")] // admin_shutdown: the server was stopped
    [InlineData("57P02", "database connection lost")] // crash_shutdown
    [InlineData("08006", "database connection lost")] // connection_failure
    [InlineData("57P03", "database unreachable")]     // cannot_connect_now: starting up or shutting down
    [InlineData("42P01", null)]                       // undefined_table: the app's own bug, not the database's absence
    [InlineData("23505", null)]                       // unique_violation
    public void A_server_error_is_classified_by_its_sql_state(string sqlState, string? kind)
        => ConnectionLoss.Kind(new PostgresException("message", "FATAL", "FATAL", sqlState)).Should().Be(kind);

    [Fact]
    public void Transport_failures_are_classified_by_their_cause()
    {
        ConnectionLoss.Kind(new NpgsqlException("Failed to connect to 127.0.0.1:1", new SocketException((int)SocketError.ConnectionRefused))).Should().Be("database unreachable");
        ConnectionLoss.Kind(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())).Should().Be("database connection lost");
        ConnectionLoss.Kind(new NpgsqlException("Exception while writing to stream", new IOException("Broken pipe"))).Should().Be("database connection lost");
        ConnectionLoss.Kind(new NpgsqlException("The operation has timed out", new TimeoutException())).Should().BeNull("a command timeout is not a lost connection");
        ConnectionLoss.Kind(new InvalidOperationException("not Npgsql", new EndOfStreamException())).Should().BeNull();
    }

    [Fact]
    public void The_engine_asks_each_exception_of_the_chain_outermost_first_until_its_classifier_is_unregistered()
    {
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new NpgsqlException("Exception while reading from stream", new EndOfStreamException()));
        using (ErrorClassifiers.Register(ConnectionLoss.Kind))
        {
            ErrorClassifiers.Classify(wrapped).Should().Be("database connection lost", "an EF Core style wrapper is looked through");
        }

        var custom = new ArithmeticException("custom");
        using (ErrorClassifiers.Register(e => e == custom ? "custom kind" : null))
        {
            ErrorClassifiers.Classify(custom).Should().Be("custom kind");
        }

        ErrorClassifiers.Classify(custom).Should().BeNull("the registration ended with its scope");
    }
}
