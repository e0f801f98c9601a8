using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.BadInputs;

/// <summary>The PostgreSQL fixture and the query checks given bad input: server options, connection strings, budgets.</summary>
internal sealed class DatabaseInputs : IBadInputSource
{
    private const string Server = "database server";
    private const string Budget = "query budget";

    public IEnumerable<BadInput> Inputs =>
    [
        // PostgresServerOptions, refused when handed over.
        Options("StartTimeout of zero", o => o with { StartTimeout = TimeSpan.Zero }, "StartTimeout is 0 ms; it must be positive, e.g. 60 s."),
        Options("negative StartTimeout", o => o with { StartTimeout = TimeSpan.FromSeconds(-5) }, "StartTimeout is -5 s; it must be positive, e.g. 60 s."),
        Options("MaxConnections below 10", o => o with { MaxConnections = 5 }, "MaxConnections is 5; it must be between 10 and 10000."),
        Options("MaxConnections above 10000", o => o with { MaxConnections = 100_000 }, "MaxConnections is 100000; it must be between 10 and 10000."),
        Options("image tagged latest", o => o with { UseTestcontainers = true, Image = "postgres:latest" },
            "Image is 'postgres:latest', which is not pinned. Give an exact tag such as postgres:15.18-alpine, so every run tests the same server build."),
        Options("image without a tag", o => o with { UseTestcontainers = true, Image = "postgres" }, "Image is 'postgres', which is not pinned."),
        Options("empty ConnectionStringVariable", o => o with { ConnectionStringVariable = "" },
            "ConnectionStringVariable is empty. Name an environment variable, e.g. PERF_POSTGRES_CONNECTION_STRING."),
        Options("empty OsUserWhenRoot", o => o with { OsUserWhenRoot = " " },
            "OsUserWhenRoot is empty. Name the user that runs PostgreSQL when tests run as root, e.g. postgres."),
        Options("BinariesDirectory pointing nowhere", o => o with { BinariesDirectory = "/nonexistent/postgresql/bin" },
            "BinariesDirectory '/nonexistent/postgresql/bin' has no pg_ctl. Point it at the directory holding initdb and pg_ctl, e.g. /usr/lib/postgresql/15/bin."),
        Options("server setting name with a space", o => o with { ServerSettings = new Dictionary<string, string> { ["work mem"] = "64MB" } },
            "ServerSettings has an invalid entry 'work mem'='64MB'. Give setting names without spaces and a value, e.g. work_mem=64MB."),
        Options("ServerSettings null", o => o with { ServerSettings = null! },
            "ServerSettings is null; leave it unset for no extra settings, or give a dictionary such as { [\"work_mem\"] = \"64MB\" }."),
        Options("TimeProvider null", o => o with { TimeProvider = null! },
            "TimeProvider is null; leave it unset for the system clock, or give a TimeProvider."),
        Options("ClustersDirectory empty", o => o with { ClustersDirectory = "" },
            "ClustersDirectory is empty; leave it unset for perfregression-postgres under the temporary directory, or give a directory of your own."),
        new(Server, "ClustersDirectory is a file", () =>
        {
            var file = Path.Combine(BadInputs.NewDirectory("clusters-file"), "not-a-directory");
            File.WriteAllText(file, "x");
            return PostgresServer.StartAsync(Local() with { ClustersDirectory = file });
        }, "ClustersDirectory '", "' is a file. Give a directory (it is created if missing), or leave it unset."),

        // The server named by the environment.
        Named("malformed connection string", "this is not a connection string",
            "is not a valid Npgsql connection string", "Set it like Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres"),
        Named("connection string with a non-numeric port", "Host=127.0.0.1;Port=abc;Username=postgres",
            "is not a valid Npgsql connection string", "Set it like Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres"),
        Named("connection string with an unknown keyword", "Host=127.0.0.1;Prot=5432;Username=postgres",
            "is not a valid Npgsql connection string", "(Couldn't set prot"),
        Named("closed port", "Host=127.0.0.1;Port=1;Username=postgres;Timeout=2",
            "(127.0.0.1:1) did not accept a connection: ", "Start it, fix the variable, or unset it to let the tests start their own server."),

        // No way to get a server.
        new(Server, "every provider turned off", () => PostgresServer.StartAsync(Local() with { UseLocalBinaries = false }),
            "No PostgreSQL server is available, so the database tests cannot run (they never skip silently).",
            "A throwaway cluster from local PostgreSQL binaries: turned off (PostgresServerOptions.UseLocalBinaries is false)."),
        new(Server, "binaries directory with pg_ctl but no initdb", () =>
        {
            var binaries = BadInputs.NewDirectory("fake-binaries");
            File.WriteAllText(Path.Combine(binaries, "pg_ctl"), "#!/bin/sh\nexit 1\n");
            return PostgresServer.StartAsync(Local() with { BinariesDirectory = binaries, ClustersDirectory = BadInputs.NewDirectory("fake-binaries-clusters") });
        }, "A throwaway cluster from local PostgreSQL binaries: the binaries in ", "are there, but could not create the cluster with initdb"),
        new(Server, "fixture used without xUnit starting it", () => Task.FromResult(new PostgresFixture().Server),
            "The PostgreSQL fixture has not started: use it as an xUnit fixture (AssemblyFixture or IClassFixture), which calls InitializeAsync before the tests."),

        // QueryBudget values, refused when handed to the analysis.
        Query("MaxPerRequest of zero", () => new QueryBudget { MaxPerRequest = 0 },
            "MaxPerRequest is 0; a request needs at least 1 command to be worth a cap. Give a positive number, e.g. 5, or leave it unset."),
        Query("StatementP95 NaN", () => new QueryBudget { StatementP95Milliseconds = double.NaN },
            "StatementP95Milliseconds is NaN; give a positive number of milliseconds, e.g. 50, or leave it unset."),
        Query("StatementP95 negative", () => new QueryBudget { StatementP95Milliseconds = -3 },
            "StatementP95Milliseconds is -3; give a positive number of milliseconds, e.g. 50, or leave it unset."),
        Query("StatementP95 infinite", () => new QueryBudget { StatementP95Milliseconds = double.PositiveInfinity },
            "StatementP95Milliseconds is Infinity; give a positive number of milliseconds, e.g. 50, or leave it unset."),
        Query("RepeatThreshold of one", () => new QueryBudget { RepeatThreshold = 1 },
            "RepeatThreshold is 1; a statement must repeat at least twice to be a pattern. Give 2 or more (the default is 5)."),
        Query("negative MinSequentialScanRows", () => new QueryBudget { MinSequentialScanRows = -1 }, "MinSequentialScanRows is -1; give 0 (every scan) or more."),
        Query("allow-listed scan without a reason", () => new QueryBudget { AllowedSequentialScans = new Dictionary<string, string> { ["recipes"] = "" } },
            "An allow-list entry 'recipes' has no reason."),
        Query("attribute allow-list entry without a colon", () => new QueryBudgetAttribute { AllowedSequentialScans = ["recipes"] }.Budget,
            "An allow-list entry 'recipes' has no reason."),
        Query("AllowedStatements null", () => new QueryBudget { AllowedStatements = null! },
            "AllowedStatements is null; leave it unset for none, or give entries with their reasons."),
        Query("attribute allow-list entry null", () => new QueryBudgetAttribute { AllowedStatements = [null!] }.Budget,
            "An allow-list entry '' has no name."),

        // Query checks that see nothing.
        new(Budget, "no load run inside the capture", async () =>
        {
            using var capture = QueryCapture.Start();
            await capture.EnsureWithinAsync();
        }, "No measured request was captured, so nothing could be checked."),
        new(Budget, "route that the scenario does not have", async () =>
        {
            using var capture = QueryCapture.Start();
            await capture.EnsureWithinAsync(new QueryBudget { Route = "no-such-route" });
        }, "No measured request of route 'no-such-route' was captured. Check the route name against the scenario's step names."),
    ];

    /// <summary>Options that reach no server of the machine: no variable, no container, local binaries in a fresh directory.</summary>
    private static PostgresServerOptions Local() => new()
    {
        ConnectionStringVariable = "PERF_BAD_INPUT_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
        UseTestcontainers = false,
    };

    private static BadInput Options(string name, Func<PostgresServerOptions, PostgresServerOptions> change, params string[] expected)
        => new(Server, name, () => PostgresServer.StartAsync(change(Local() with { UseLocalBinaries = false })), ["PostgresServerOptions has", .. expected]);

    private static BadInput Named(string name, string connectionString, params string[] expected)
    {
        var variable = "PERF_BAD_INPUT_PG_" + Math.Abs(name.GetHashCode(StringComparison.Ordinal)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new(Server, name, () => BadInputs.WithEnvironmentAsync(new Dictionary<string, string?> { [variable] = connectionString },
            () => PostgresServer.StartAsync(Local() with { ConnectionStringVariable = variable })), expected);
    }

    /// <summary>The budget is made inside the act: a crash while reading an attribute's settings is an answer too.</summary>
    private static BadInput Query(string name, Func<QueryBudget> budget, params string[] expected)
        => new(Budget, name, async () =>
        {
            using var capture = QueryCapture.Start();
            await capture.AnalyzeAsync(budget());
        }, ["QueryBudget has", .. expected]);
}
