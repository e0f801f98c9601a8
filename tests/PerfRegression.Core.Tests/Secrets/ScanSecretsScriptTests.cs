using PerfRegression.Tests.Support;

namespace PerfRegression.Tests.Secrets;

/// <summary>
/// eng/scan-secrets.sh, which CI runs over every artifact of a run (results JSON, summary.md, received baselines,
/// test logs): it finds a planted secret of each kind without printing it, and passes clean or masked files.
/// </summary>
public sealed class ScanSecretsScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("perf-secrets-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // The planted lines are built here, not passed as theory arguments: test names (and their arguments) go into
    // the TRX logs that CI scans with this very script, and must not plant secrets there.
    private static readonly Dictionary<string, string> Planted = new(StringComparer.Ordinal)
    {
        ["JWT"] = "token " + string.Join('.', "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "eyJzdWIiOiIyMCIsImV4cCI6MTc2NDgwMDAwMH0", "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8"),
        ["Authorization header"] = "request headers: Authorization: " + "Basic dXNlcjpwYXNzd29yZA==",
        ["bearer token"] = "sent with " + "Bearer 4f9c2a7e1b8d3c6f0a5e9b2d7c4f1a8e",
        ["cookie"] = "Set-Cookie: mealplanner_session=" + "Zm9vYmFyYmF6cXV4; path=/; httponly",
        ["session token"] = "redirected to /home?session_id=" + "8c1f0e7a9b2d4c6e8f0a1b3c5d7e9f1a",
        ["connection-string password"] = "could not connect with Host=127.0.0.1;Port=5433;Username=perf;Password=" + "Gx7-q2R9kLp0;Database=mealplanner",
        ["password in JSON"] = """{ "email": "user20@example.com", "password": """ + "\"correct horse battery\" }",
        ["credentials in a URL"] = "PERF_BASE_URL=https://ci:" + "Tr0ub4dor@staging.example.com/api",
    };

    [Theory]
    [InlineData("JWT")]
    [InlineData("Authorization header")]
    [InlineData("bearer token")]
    [InlineData("cookie")]
    [InlineData("session token")]
    [InlineData("connection-string password")]
    [InlineData("password in JSON")]
    [InlineData("credentials in a URL")]
    public async Task A_planted_secret_of_each_kind_is_found_and_not_repeated(string kind)
    {
        var line = Planted[kind];
        await PlantAsync("tests/PlanTests.Calendar.json", "{\n  \"verdict\": \"ok\",\n  \"text\": \"" + line.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"\n}\n");
        await PlantAsync("summary.md", "## Performance: 1 test, 1 passed\n");

        var (exit, output) = await RunAsync(_directory);

        exit.Should().Be(1, output);
        output.Should().Contain($"PlanTests.Calendar.json:3: {kind} (");
        var secret = line.Split([' ', '=', ':', ';'], StringSplitOptions.RemoveEmptyEntries).MaxBy(w => w.Length)!;
        output.Should().NotContain(secret, "the report names where a secret is, never the secret");
    }

    [Fact]
    public async Task Clean_and_masked_artifacts_pass()
    {
        await PlantAsync("summary.md", "## Performance: 2 tests, 2 passed (0 with warnings), 0 failed\n| ✅ | AuthTests.Login | POST /auth/login | p95 budget | <= 50 ms | 4.2 ms | 1,000 requests | ok |\n");
        await PlantAsync("logs/all.log", "Passed!  - Failed: 0, Passed: 12, Skipped: 0 - Perf.Api.Tests.dll\nHost=127.0.0.1;Port=5433;Username=postgres;Password=***;Database=x\nCookie: <redacted>\n\"password\": \"***\"\nthe session token is checked on every request\n");
        await PlantAsync("pr/AuthTests.Login.received.json", "{ \"schemaVersion\": 3, \"routes\": { \"POST /auth/login\": { \"p95\": 4.2 } } }\n");

        var (exit, output) = await RunAsync(_directory);

        exit.Should().Be(0, output);
        output.Should().Be($"No secrets in: {_directory}.\n");
    }

    [Fact]
    public async Task A_path_that_is_not_there_is_an_error_not_a_clean_scan()
    {
        var missing = Path.Combine(_directory, "artifacts", "perf");

        var (exit, output) = await RunAsync(missing);

        exit.Should().Be(2);
        output.Should().Be($"No file or folder at {missing}, so it cannot be searched for secrets. Pass paths that exist (a run writes artifacts/perf).\n");
    }

    private Task PlantAsync(string relative, string content)
    {
        var path = Path.Combine(_directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
    }

    private static Task<(int Exit, string Output)> RunAsync(params string[] paths) => EngScript.RunAsync("scan-secrets.sh", paths);
}
