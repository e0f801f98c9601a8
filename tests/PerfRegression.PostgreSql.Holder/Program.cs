using PerfRegression.PostgreSql;

// Starts a local PostgreSQL cluster through the public API, as a test host holding a fixture does, says "ready"
// with the connection's port, and waits to be killed. Bounded: it disposes the server and exits by itself after
// the given number of seconds (default 60), so a test that forgets it leaves nothing running for long.
// Usage: PerfRegression.PostgreSql.Holder <clusters directory> [seconds]
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: PerfRegression.PostgreSql.Holder <clusters directory> [seconds]");
    return 2;
}

var seconds = args.Length == 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60;
var options = new PostgresServerOptions
{
    ConnectionStringVariable = "PERF_HOLDER_UNSET_" + Guid.NewGuid().ToString("N"),
    UseTestcontainers = false,
    ClustersDirectory = args[0],
};
await using var server = await PostgresServer.StartAsync(options);
await using var database = await server.CreateDatabaseAsync();
Console.WriteLine(FormattableString.Invariant($"ready {server.Endpoint} {database.Name}"));
await Task.Delay(TimeSpan.FromSeconds(seconds));
return 0;
