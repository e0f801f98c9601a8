using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using PerfRegression.PostgreSql;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>The local-binaries provider, end to end: these tests start real throwaway clusters.</summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
public sealed class PostgresServerTests : IDisposable
{
    // A variable of our own, so a PERF_POSTGRES_CONNECTION_STRING set on the machine cannot redirect these tests.
    private readonly LocalClusters _local = new("tests");

    public void Dispose() => _local.Dispose();

    private PostgresServerOptions LocalOnly => _local.Options;

    [Fact]
    public async Task A_local_cluster_listens_on_loopback_only_without_durability_and_is_deleted_on_dispose()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await PostgresServer.StartAsync(LocalOnly, ct);
        string clusterDirectory;
        await using (server)
        {
            TestContext.Current.TestOutputHelper!.WriteLine(server.Description);
            server.Provider.Should().Be(PostgresProvider.LocalBinaries);
            server.ServerVersion.Should().MatchRegex(@"^\d+\.\d+$");
            server.HasStatementStatistics.Should().BeTrue("the Debian server packages ship pg_stat_statements and the fixture loads it");
            clusterDirectory = Directory.GetDirectories(_local.Directory).Should().ContainSingle().Subject;

            (await Scalar(server.ConnectionString, "SHOW listen_addresses", ct)).Should().Be("127.0.0.1");
            (await Scalar(server.ConnectionString, "SHOW fsync", ct)).Should().Be("off");
            (await Scalar(server.ConnectionString, "SHOW unix_socket_directories", ct)).Should().Be(clusterDirectory);
            (await Scalar(server.ConnectionString, "SELECT count(*) >= 0 FROM pg_stat_statements", ct)).Should().Be("True");
            if (Environment.IsPrivilegedProcess)
            {
                (await Scalar(server.ConnectionString, "SELECT current_setting('data_directory')", ct)).Should().StartWith(clusterDirectory);
                OwnerOf(clusterDirectory).Should().Be("postgres", "PostgreSQL refuses to run as root, so the cluster belongs to the postgres user");
            }
        }

        Directory.Exists(clusterDirectory).Should().BeFalse("dispose stops the server and deletes its directory");
        var afterDispose = async () => await Scalar(server.ConnectionString, "SELECT 1", ct);
        await afterDispose.Should().ThrowAsync<NpgsqlException>();
    }

    [Fact]
    public async Task Each_copy_of_the_template_starts_from_the_seeded_data_and_is_dropped_on_dispose()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PostgresServer.StartAsync(LocalOnly, ct);
        var seeds = 0;
        var template = await server.CreateTemplateAsync("seeded", async (connectionString, token) =>
        {
            seeds++;
            await Execute(connectionString, "CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 1000)", token);
        }, ct);

        seeds.Should().Be(1);
        await using var first = await server.CreateDatabaseAsync(template, ct);
        await using var second = await server.CreateDatabaseAsync(template, ct);
        first.Name.Should().NotBe(second.Name);
        await Execute(first.ConnectionString, "DELETE FROM items", ct);

        (await Scalar(first.ConnectionString, "SELECT count(*) FROM items", ct)).Should().Be("0");
        (await Scalar(second.ConnectionString, "SELECT count(*) FROM items", ct)).Should().Be("1000", "a change in one copy never reaches another");

        await first.DisposeAsync();
        (await Scalar(server.ConnectionString, $"SELECT count(*) FROM pg_database WHERE datname = '{first.Name}'", ct)).Should().Be("0");
        (await Scalar(server.ConnectionString, $"SELECT count(*) FROM pg_database WHERE datname = '{second.Name}'", ct)).Should().Be("1");
    }

    [Fact]
    public async Task A_cluster_left_by_a_crashed_run_is_stopped_and_deleted_by_the_next_start()
    {
        var ct = TestContext.Current.CancellationToken;
        var abandoned = await PostgresServer.StartAsync(LocalOnly, ct);
        var abandonedDirectory = Directory.GetDirectories(_local.Directory).Should().ContainSingle().Subject;
        var postmasterPid = int.Parse(File.ReadLines(Path.Combine(abandonedDirectory, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

        // Pretend its owner died: a process that has exited leaves a pid with no matching process.
        using (var finished = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            await finished.WaitForExitAsync(ct);
            await File.WriteAllTextAsync(Path.Combine(abandonedDirectory, "owner"), $"{finished.Id} 1", ct);
        }

        await using (var next = await PostgresServer.StartAsync(LocalOnly, ct))
        {
            Directory.Exists(abandonedDirectory).Should().BeFalse("the next start removes clusters whose owner is gone");
            (await StopsWithin(postmasterPid, TimeSpan.FromSeconds(10), ct)).Should().BeTrue("the abandoned server is stopped, not just its files deleted");
            (await Scalar(next.ConnectionString, "SELECT 1", ct)).Should().Be("1");
        }

        await abandoned.DisposeAsync();
    }

    [Fact]
    public async Task A_connection_string_in_the_environment_is_used_as_is_and_its_databases_are_dropped_on_dispose()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var real = await PostgresServer.StartAsync(LocalOnly, ct);
        Environment.SetEnvironmentVariable(_local.Variable, real.ConnectionString);

        string created;
        await using (var named = await PostgresServer.StartAsync(LocalOnly with { UseLocalBinaries = false }, ct))
        {
            named.Provider.Should().Be(PostgresProvider.ConnectionString);
            named.Description.Should().StartWith($"server from {_local.Variable} (127.0.0.1:");
            var database = await named.CreateDatabaseAsync(cancellationToken: ct);
            created = database.Name;
            (await Scalar(real.ConnectionString, $"SELECT count(*) FROM pg_database WHERE datname = '{created}'", ct)).Should().Be("1");
        }

        (await Scalar(real.ConnectionString, $"SELECT count(*) FROM pg_database WHERE datname = '{created}'", ct)).Should().Be("0", "a server we do not own is left as we found it");
        Directory.GetDirectories(_local.Directory).Should().ContainSingle("no second cluster was started");
    }

    [Fact]
    public async Task A_named_server_that_does_not_answer_fails_instead_of_falling_back()
    {
        Environment.SetEnvironmentVariable(_local.Variable, "Host=127.0.0.1;Port=1;Username=postgres;Timeout=2");

        var start = () => PostgresServer.StartAsync(LocalOnly, TestContext.Current.CancellationToken);

        var failure = await start.Should().ThrowAsync<PostgresUnavailableException>();
        failure.Which.Message.Should().StartWith($"The server named by {_local.Variable} (127.0.0.1:1) did not accept a connection: ")
            .And.EndWith("Start it, fix the variable, or unset it to let the tests start their own server.");
        Directory.Exists(_local.Directory).Should().BeFalse("no local cluster is started behind the user's back");
    }

    [Fact]
    public async Task With_no_provider_the_failure_lists_the_three_options_and_how_to_get_each()
    {
        var options = LocalOnly with { UseLocalBinaries = false };

        var start = () => PostgresServer.StartAsync(options, TestContext.Current.CancellationToken);

        (await start.Should().ThrowAsync<PostgresUnavailableException>()).Which.Message.Should().Be(string.Join(Environment.NewLine,
            "No PostgreSQL server is available, so the database tests cannot run (they never skip silently). Tried, in order:",
            $"1. A connection string in the environment variable {_local.Variable}: not set. Set it to a server you run, e.g. {_local.Variable}='Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres'.",
            "2. Testcontainers with postgres:15.18-alpine: turned off (PostgresServerOptions.UseTestcontainers is false). Install and start a Docker engine (https://docs.docker.com/engine/install/), then run the tests again.",
            "3. A throwaway cluster from local PostgreSQL binaries: turned off (PostgresServerOptions.UseLocalBinaries is false). Install the server, e.g. 'apt-get install postgresql' on Debian or Ubuntu (initdb and pg_ctl are in /usr/lib/postgresql/<version>/bin), or set PostgresServerOptions.BinariesDirectory."));
    }

    [Fact]
    public async Task Without_a_docker_engine_testcontainers_is_reported_and_the_local_binaries_are_used()
    {
        // Whether a Docker engine answers is found out here, apart from the library: the test then holds it to
        // the promise for this machine. Without an engine (this project's machines), the container is tried, the
        // reason it was not used is reported, and the local binaries serve; with one, the container is used.
        var ct = TestContext.Current.CancellationToken;
        var dockerAnswers = await DockerEngineAnswersAsync(ct);

        await using var server = await PostgresServer.StartAsync(LocalOnly with { UseTestcontainers = true }, ct);

        if (dockerAnswers)
        {
            server.Provider.Should().Be(PostgresProvider.Testcontainers);
            server.Description.Should().StartWith("Testcontainers postgres:15.18-alpine on ");
        }
        else
        {
            server.Provider.Should().Be(PostgresProvider.LocalBinaries);
            server.Description.Should().StartWith("local cluster from ").And.Contain("; Testcontainers not used: no Docker engine answered");
        }

        (await Scalar(server.ConnectionString, "SELECT 1", ct)).Should().Be("1");
    }

    private static async Task<bool> DockerEngineAnswersAsync(CancellationToken ct)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        EndPoint endpoint = host is { Length: > 0 } && Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme == "tcp"
            ? new DnsEndPoint(uri.Host, uri.Port)
            : new UnixDomainSocketEndPoint(host is { Length: > 0 } && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock");
        using var socket = new Socket(endpoint is UnixDomainSocketEndPoint ? AddressFamily.Unix : AddressFamily.Unspecified, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(endpoint, timeout.Token);
            await socket.SendAsync("GET /_ping HTTP/1.0\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    [Fact]
    public async Task Invalid_options_are_refused_with_every_problem_listed_when_handed_over()
    {
        var options = new PostgresServerOptions
        {
            ConnectionStringVariable = " ",
            Image = "postgres:latest",
            StartTimeout = TimeSpan.Zero,
            MaxConnections = 5,
            BinariesDirectory = "/nonexistent",
        };

        var start = () => PostgresServer.StartAsync(options, TestContext.Current.CancellationToken);

        (await start.Should().ThrowAsync<PerfConfigurationException>()).Which.Message.Should().Be(string.Join(Environment.NewLine,
            "PostgresServerOptions has 5 problems:",
            "- ConnectionStringVariable is empty. Name an environment variable, e.g. PERF_POSTGRES_CONNECTION_STRING.",
            "- Image is 'postgres:latest', which is not pinned. Give an exact tag such as postgres:15.18-alpine, so every run tests the same server build.",
            "- StartTimeout is 0 ms; it must be positive, e.g. 60 s.",
            "- MaxConnections is 5; it must be between 10 and 10000.",
            "- BinariesDirectory '/nonexistent' has no pg_ctl. Point it at the directory holding initdb and pg_ctl, e.g. /usr/lib/postgresql/15/bin."));
    }

    private static async Task<string?> Scalar(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task Execute(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<bool> StopsWithin(int pid, TimeSpan limit, CancellationToken ct)
    {
        // An exited server may linger briefly as a zombie until its parent reaps it: that is stopped.
        for (var waited = TimeSpan.Zero; waited < limit; waited += TimeSpan.FromMilliseconds(100))
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || (await File.ReadAllTextAsync(stat, ct)).Split(") ")[^1].StartsWith('Z'))
            {
                return true;
            }

            await Task.Delay(100, ct);
        }

        return false;
    }

    private static string OwnerOf(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var owner = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return owner;
    }
}
