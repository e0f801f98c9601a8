using System.Diagnostics;
using Npgsql;
using PerfRegression.PostgreSql;
using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Database;

/// <summary>
/// The local cluster is for this process only: no trusted connection, a password per cluster, a private directory
/// (socket included), and clean-up that never obeys a planted pid file. These tests start real clusters.
/// </summary>
[Collection(TimingSensitive.Name), HoldsTheMachine]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalClusterSecurityTests : IDisposable
{
    private readonly LocalClusters _local = new("security");

    public void Dispose() => _local.Dispose();

    private PostgresServerOptions LocalOnly => _local.Options;

    [Fact]
    public async Task Connections_without_the_generated_password_or_with_a_wrong_one_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PostgresServer.StartAsync(LocalOnly, ct);
        var handedOut = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        handedOut.Password.Should().MatchRegex("^[0-9a-f]{48}$", "the connection strings handed out carry the cluster's generated password");

        var withoutPassword = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = null, Pooling = false }.ConnectionString;
        var wrongPassword = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = "postgres", Pooling = false }.ConnectionString;

        (await OpenAsync(withoutPassword, ct)).Should().NotBeNull("a connection without the password must be refused");
        var wrong = await OpenAsync(wrongPassword, ct);
        wrong.Should().BeOfType<PostgresException>().Which.SqlState.Should().Be(PostgresErrorCodes.InvalidPassword);
        (await OpenAsync(server.ConnectionString, ct)).Should().BeNull("the handed-out connection string works");
        (await ScalarAsync(server.ConnectionString, "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'trust'", ct)).Should().Be("0", "no connection is trusted");
    }

    [Fact]
    public async Task The_cluster_directory_is_unpredictable_and_private_and_holds_the_socket()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PostgresServer.StartAsync(LocalOnly, ct);
        var directory = Directory.GetDirectories(_local.Directory).Should().ContainSingle().Subject;

        Path.GetFileName(directory).Should().MatchRegex("^cluster-[0-9a-f]{32}$", "the name carries 128 random bits and no pid");
        File.GetUnixFileMode(directory).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        (File.GetUnixFileMode(_local.Directory) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite))
            .Should().Be(UnixFileMode.None, "no one else may list or create clusters");
        (await ScalarAsync(server.ConnectionString, "SHOW unix_socket_directories", ct)).Should().Be(directory);
        (await ScalarAsync(server.ConnectionString, "SHOW unix_socket_permissions", ct)).Should().Be("0700");
        File.Exists(Path.Combine(directory, "initdb-password")).Should().BeFalse("the password file initdb read is deleted");
    }

    [Fact]
    public async Task Another_os_user_cannot_connect_over_tcp_or_the_socket()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "Acting as another OS user needs root (runuser).");
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PostgresServer.StartAsync(LocalOnly, ct);
        var port = new NpgsqlConnectionStringBuilder(server.ConnectionString).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var directory = Directory.GetDirectories(_local.Directory).Single();

        // psql -w never prompts: without a password it gives up, as a script of another user would.
        var overTcp = await RunAsync("runuser", ["-u", "nobody", "--", "psql", "-w", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres", "-c", "SELECT 1"], ct);
        var overSocket = await RunAsync("runuser", ["-u", "nobody", "--", "psql", "-w", "-h", directory, "-p", port, "-U", "postgres", "-d", "postgres", "-c", "SELECT 1"], ct);

        overTcp.ExitCode.Should().NotBe(0, overTcp.Output);
        overTcp.Output.Should().Contain("no password supplied");
        overSocket.ExitCode.Should().NotBe(0, overSocket.Output);
        overSocket.Output.Should().Contain("Permission denied");
    }

    [Fact]
    public async Task A_planted_pid_file_naming_an_unrelated_process_is_not_obeyed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var bystander = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            // A directory that looks abandoned (its owner is gone) and whose pid file names the bystander.
            var planted = Path.Combine(_local.Directory, "cluster-planted");
            Directory.CreateDirectory(Path.Combine(planted, "data"));
            using (var finished = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
            {
                await finished.WaitForExitAsync(ct);
                await File.WriteAllTextAsync(Path.Combine(planted, "owner"), $"{finished.Id} 1", ct);
            }

            await File.WriteAllTextAsync(Path.Combine(planted, "data", "postmaster.pid"), $"{bystander.Id}\n{Path.Combine(planted, "data")}\n", ct);

            await using (await PostgresServer.StartAsync(LocalOnly, ct))
            {
                Directory.Exists(planted).Should().BeFalse("the abandoned directory itself is removed");
            }

            bystander.HasExited.Should().BeFalse("the process a planted postmaster.pid names is not a server of this cluster and must survive");
        }
        finally
        {
            if (!bystander.HasExited)
            {
                bystander.Kill();
            }
        }
    }

    [Fact]
    public async Task A_server_in_a_directory_without_the_owner_marker_is_neither_stopped_nor_deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var unmarked = await PostgresServer.StartAsync(LocalOnly, ct);
        var directory = Directory.GetDirectories(_local.Directory).Single();
        File.Delete(Path.Combine(directory, "owner"));
        Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow.AddHours(-1));

        await using (await PostgresServer.StartAsync(LocalOnly, ct))
        {
        }

        Directory.Exists(directory).Should().BeTrue("a directory without the library's marker is not known to be ours");
        (await ScalarAsync(unmarked.ConnectionString, "SELECT 1", ct)).Should().Be("1", "its server was not stopped");
    }

    private static async Task<Exception?> OpenAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            return null;
        }
        catch (NpgsqlException ex)
        {
            return ex;
        }
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment.Remove("PGPASSWORD");
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
